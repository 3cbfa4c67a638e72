// The fault-injecting TCP proxy lives in scripts/ (the go-live verifier uses it too).
export { type ProxyMode, startTcpProxy, type TcpProxy } from '../../scripts/fault-proxy.mjs';
