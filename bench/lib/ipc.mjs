// Request and answer over a child process's IPC channel: the benches' receiver, workers and servers answer
// a message with an object that carries a known key.

/** Sends `message` (unless undefined) and resolves with the first message from `child` that has `key`. */
export function ask(child, message, key) {
  return new Promise((resolve) => {
    const on = (m) => {
      if (m && typeof m === 'object' && key in m) {
        child.off('message', on);
        resolve(m);
      }
    };
    child.on('message', on);
    if (message !== undefined) child.send(message);
  });
}
