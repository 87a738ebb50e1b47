'use strict';
/**
 * Preloaded into the Agents Playground by `npm run e2e:teams` (NODE_OPTIONS=--require): every TCP
 * connection, UDP datagram and DNS lookup to anything but this machine is refused and named on stderr,
 * because the Playground reaches for Azure endpoints (telemetry, sign-in metadata) even when told not to.
 */
const dgram = require('node:dgram');
const dns = require('node:dns');
const net = require('node:net');

const LOOPBACK = /^(localhost|127\.\d+\.\d+\.\d+|::1|::ffff:127\.\d+\.\d+\.\d+)$/i;
const blocked = (what) => {
  process.stderr.write(`[loopback-only] blocked ${what}\n`);
  const error = new Error(`connection to ${what} refused: this run keeps all traffic on 127.0.0.1`);
  error.code = 'ECONNREFUSED';
  return error;
};

const connect = net.Socket.prototype.connect;
net.Socket.prototype.connect = function (...args) {
  const options = typeof args[0] === 'object' && args[0] !== null ? (Array.isArray(args[0]) ? args[0][0] : args[0]) : { port: args[0], host: typeof args[1] === 'string' ? args[1] : undefined };
  if (options && options.path === undefined) {
    const host = options.host ?? 'localhost';
    if (!LOOPBACK.test(host)) {
      const error = blocked(`${host}:${options.port}`);
      process.nextTick(() => this.destroy(error));
      return this;
    }
  }
  return connect.apply(this, args);
};

const lookup = dns.lookup;
dns.lookup = function (hostname, options, callback) {
  const done = typeof options === 'function' ? options : callback;
  if (!LOOPBACK.test(hostname)) {
    const error = blocked(`DNS ${hostname}`);
    error.code = 'ENOTFOUND';
    process.nextTick(() => done(error));
    return {};
  }
  return lookup.call(this, hostname, options, callback);
};

const send = dgram.Socket.prototype.send;
dgram.Socket.prototype.send = function (...args) {
  const address = args.find((a, i) => i > 0 && typeof a === 'string');
  if (address && !LOOPBACK.test(address)) {
    const callback = args.find((a) => typeof a === 'function');
    const error = blocked(`UDP ${address}`);
    if (callback) process.nextTick(() => callback(error));
    return;
  }
  return send.apply(this, args);
};
