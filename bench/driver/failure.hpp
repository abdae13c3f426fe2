#pragma once
/// How a request can fail, as the connection reports it and the worker records it. A failure
/// never stops a run: it is counted by kind and its request enters the latency tail.

namespace splitbench::bench {

enum class failure : unsigned char {
  connect,    ///< a connection could not be opened (retried with back-off; no request is lost)
  refused,    ///< due while no connection was open and the last attempt to open one failed: failed at
              ///< once, as a client's connect would, instead of waiting for the server to come back
  read,       ///< the connection broke while a response was awaited
  write,      ///< the request could not be written
  timeout,    ///< no complete response within the timeout of the send
  parse,      ///< the response is not HTTP/1.1 as response_parser accepts it
  unsent,     ///< due in the window, never sent before the run ended
  in_flight,  ///< sent, still unanswered (and not yet timed out) when the run ended
};

}  // namespace splitbench::bench
