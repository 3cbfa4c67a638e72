import { errorResponse } from '@/lib/api/respond';

// Unknown API paths answer JSON, never Next's HTML 404 page.
const notFound = () => errorResponse(404, 'not_found', 'No such API endpoint. See docs/api.md.');
export { notFound as GET, notFound as POST, notFound as PUT, notFound as PATCH, notFound as DELETE };
