// The three verdicts an item can get, each with one line of evidence.
export const pass = (evidence) => ({ status: 'PASS', evidence });
export const fail = (evidence) => ({ status: 'FAIL', evidence });
export const skip = (evidence) => ({ status: 'SKIP', evidence });
