/** Listening with an error a person can act on when the port is taken. */

/** A port the demo could not listen on; the message names the server, the port and the flag to change it. */
export class PortError extends Error {}

/**
 * @param {unknown} err the listen error
 * @param {{ what: string, port: number, host: string, flag: string, env: string }} where
 */
export function describeListenError(err, where) {
  const code = /** @type {NodeJS.ErrnoException} */ (err)?.code;
  const { what, port, host, flag, env } = where;
  const pick = `pick another port: pnpm start --${flag} ${port + 1} (or ${env}=${port + 1})`;
  if (code === 'EADDRINUSE') {
    return new PortError(
      `Port ${port} on ${host} is already in use, so the ${what} cannot start. Stop what uses it, or ${pick}.`,
    );
  }
  if (code === 'EACCES') {
    return new PortError(`Not allowed to listen on ${host}:${port} for the ${what}; ${pick}.`);
  }
  if (code === 'EADDRNOTAVAIL' || code === 'ENOTFOUND') {
    return new PortError(
      `Cannot listen on host ${host} for the ${what}: no such local address. Use --host 127.0.0.1.`,
    );
  }
  return err instanceof Error ? err : new Error(String(err));
}

/**
 * Starts `server` and resolves with its base URL.
 * @param {import('node:http').Server} server
 * @param {{ what: string, port: number, host: string, flag: string, env: string }} where
 */
export function listen(server, where) {
  return new Promise((resolve, reject) => {
    const onError = (err) => reject(describeListenError(err, where));
    server.once('error', onError);
    server.listen(where.port, where.host, () => {
      server.off('error', onError);
      const address = /** @type {import('node:net').AddressInfo} */ (server.address());
      const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
      resolve(`http://${host}:${address.port}`);
    });
  });
}

/** Closes a node:http server, ending idle keep-alive connections so it stops at once. */
export function close(server) {
  return new Promise((resolve) => {
    if (!server.listening) return resolve();
    server.close(() => resolve());
    server.closeAllConnections();
  });
}
