// Calls to Kyu's own JSON API under /_kyu. Same origin only: the server refuses cross-origin writes.

export class ApiError extends Error {
  constructor(status, message, code) {
    super(message);
    this.status = status;
    this.code = code;
  }
}

async function request(method, path, document) {
  const options = { method, headers: { Accept: "application/json" } };
  if (document !== undefined) {
    options.headers["Content-Type"] = "application/json";
    options.body = JSON.stringify(document);
  }
  let reply;
  try {
    reply = await fetch(path, options);
  } catch (error) {
    throw new ApiError(0, "Kyu does not answer; is the server still running?", "Unreachable");
  }
  let answer = null;
  try {
    answer = await reply.json();
  } catch (error) {
    // Not JSON: a route this Kyu does not have falls through to the AWS protocols.
  }
  if (!reply.ok || answer === null) {
    const message = answer && answer.error ? answer.error : `HTTP ${reply.status}`;
    throw new ApiError(reply.status, message, answer && answer.code);
  }
  return answer;
}

export const get = (path) => request("GET", path);
export const post = (path, document = {}) => request("POST", path, document);

export function queuePath(queue, suffix = "") {
  const name = encodeURIComponent(queue.name);
  const account = encodeURIComponent(queue.account);
  return `/_kyu/queues/${account}/${name}${suffix}?region=${encodeURIComponent(queue.region)}`;
}
