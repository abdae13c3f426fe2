#pragma once
/// The payload phase: what each deployment adds over the monolith as the bodies crossing the
/// split's hops grow. Two sweeps, each step one request sent again and again, so that the bytes
/// it puts on every hop are known exactly:
///
///   response  GET /api/products?q=lamp&limit=N: one hop (catalog /internal/search) whose answer
///             grows with N; "lamp" matches some 400 products, so every limit up to 100 is filled
///   request   POST /api/quote with N lines: three concurrent hops (catalog, inventory, pricing)
///             whose requests and answers grow with N. A quote only reads, so a sweep never runs
///             out of stock and gets 409s, as POST /api/orders would.
///
/// The bytes are computed in-process: the internal request and its answer encoded by the codec
/// the processes use (net/codec.hpp, split/endpoints.hpp) from the seed's catalog, stock and
/// prices. The quote's lines name products whose stock starts at 1,000 units or more: orders of
/// other phases may lower it, never to another number of digits, so the bodies keep their size.

#include "bench/driver/request_mix.hpp"
#include "bench/runner/measurement.hpp"
#include "bench/runner/scenario.hpp"

#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace splitbench::bench {

/// The search text of the response sweep.
inline constexpr char const* payload_search_text = "lamp";

/// One step as planned: its sizes and bytes (no windows yet) and the request that produces them.
struct planned_payload_step {
  payload_step step;
  std::string method, target, body;
};

/// The scenario's payload steps, the response sweep's then the request sweep's, with the bytes
/// each request puts on each hop of the split.
std::vector<planned_payload_step> plan_payload(scenario const& s);

/// The only route of a step's mix: the step's request with `host` as its Host header.
request_mix payload_mix(planned_payload_step const& p, std::string const& host);

/// A deployment the phase measures: its name and its front door (the Host header).
struct payload_subject {
  std::string name;
  std::string host;
};

/// One window of load: `mix` against subject `index` at the phase's rate; nothing when the run
/// was cancelled or the deployment died, which ends the phase.
using payload_window = std::function<std::optional<run_measurement>(std::size_t index, request_mix const& mix, std::string const& label)>;

/// Every step against every subject, `s.payload_repetitions` rounds a step. Each repetition
/// visits every step (forward, then backward in the next), and each round is in ABBA order over
/// the subjects (who goes first alternates from one round of a step to its next). A round half
/// measured is dropped and ends the phase, so that repetition i of every subject ran in the same
/// round; the steps are kept, with the rounds they had.
payload_measurement run_payload(scenario const& s, std::vector<payload_subject> const& subjects, payload_window const& window);

}  // namespace splitbench::bench
