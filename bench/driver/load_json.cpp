#include "bench/driver/load_json.hpp"

#include "bench/driver/histogram_json.hpp"
#include "bench/driver/output.hpp"

#include <boost/json.hpp>
#include <fmt/format.h>

#include <cmath>
#include <stdexcept>

namespace splitbench::bench {
namespace json = boost::json;
namespace {

/// Fields of one JSON object, each read with the path that names it in an error.
class fields {
 public:
  fields(json::value const& v, std::string at) : at_(std::move(at)) {
    if (!v.is_object()) fail("is not an object");
    o_ = &v.get_object();
  }
  json::value const& at(std::string_view key) const {
    auto const* v = o_->if_contains(key);
    if (!v) throw std::invalid_argument(fmt::format("no '{}{}'", prefix(), key));
    return *v;
  }
  bool has(std::string_view key) const { return o_->contains(key); }
  template <class T>
  T get(std::string_view key) const {
    try {
      return json::value_to<T>(at(key));
    } catch (std::invalid_argument const&) {
      throw;
    } catch (std::exception const&) {
      throw std::invalid_argument(fmt::format("'{}{}' is not what it should be", prefix(), key));
    }
  }
  fields sub(std::string_view key) const { return fields(at(key), prefix() + std::string(key)); }
  histogram hist(std::string_view key) const {
    auto f = sub(key);
    try {
      return histogram_in(*f.o_);
    } catch (std::invalid_argument const& e) {
      throw std::invalid_argument(fmt::format("'{}{}': {}", prefix(), key, e.what()));
    }
  }
  json::array const& array(std::string_view key) const {
    auto const& v = at(key);
    if (!v.is_array()) throw std::invalid_argument(fmt::format("'{}{}' is not an array", prefix(), key));
    return v.get_array();
  }
  std::string prefix() const { return at_.empty() ? "" : at_ + "."; }

 private:
  [[noreturn]] void fail(std::string_view why) const { throw std::invalid_argument(fmt::format("'{}' {}", at_, why)); }
  json::object const* o_ = nullptr;
  std::string at_;
};

error_counts errors_of(fields const& f) {
  error_counts e;
  e.connect = f.get<std::uint64_t>("connect");
  e.refused = f.get<std::uint64_t>("refused");
  e.read = f.get<std::uint64_t>("read");
  e.write = f.get<std::uint64_t>("write");
  e.timeout = f.get<std::uint64_t>("timeout");
  e.status = f.get<std::uint64_t>("status");
  e.parse = f.get<std::uint64_t>("parse");
  return e;
}

std::array<std::uint64_t, 6> classes_of(fields const& f) {
  std::array<std::uint64_t, 6> c{};
  for (unsigned k = 1; k <= 5; ++k) c[k] = f.get<std::uint64_t>(fmt::format("{}xx", k));
  return c;
}

void read_route(fields const& f, route_result& r) {
  r.responses = f.get<std::uint64_t>("responses");
  r.errors = errors_of(f.sub("errors_by_kind"));
  r.status_classes = classes_of(f.sub("status_classes"));
  r.good_in_window = f.get<std::uint64_t>("good_in_window");
  r.errors_in_window = f.get<std::uint64_t>("errors_in_window");
  r.response_time = f.hist("latency_us");
  r.good_response_time = f.hist("good_latency_us");
  r.service_time = f.hist("service_time_us");
}

load_schedule schedule_of(fields const& f) {
  load_schedule s;
  s.url = f.get<std::string>("url");
  s.workload = f.get<std::string>("workload");
  for (auto const& r : f.array("routes")) {
    if (!r.is_string()) throw std::invalid_argument("'schedule.routes' holds a non-string");
    s.routes.emplace_back(r.get_string());
  }
  if (!f.at("rate").is_null()) s.rate = f.get<double>("rate");
  s.start_unix_ns = f.get<std::int64_t>("start_unix_ns");
  s.start_given = f.get<bool>("start_given");
  s.warmup = std::chrono::nanoseconds(f.get<std::int64_t>("warmup_ns"));
  s.duration = std::chrono::nanoseconds(f.get<std::int64_t>("duration_ns"));
  s.seed = f.get<std::uint64_t>("seed");
  s.shards = f.get<std::uint64_t>("shards");
  if (s.shards > 1'000'000) throw std::invalid_argument("'schedule.shards' is above 1000000, more than a load would split into");
  s.indices.clear();
  for (auto const& i : f.array("shard_indices")) {
    if (i.is_uint64()) s.indices.push_back(i.get_uint64());
    else if (i.is_int64() && i.get_int64() >= 0) s.indices.push_back(static_cast<std::uint64_t>(i.get_int64()));
    else throw std::invalid_argument("'schedule.shard_indices' holds a non-index");
  }
  if (s.shards < 1) throw std::invalid_argument("'schedule.shards' is 0");
  for (std::size_t k = 0; k < s.indices.size(); ++k)
    if (s.indices[k] >= s.shards || (k > 0 && s.indices[k] <= s.indices[k - 1]))
      throw std::invalid_argument("'schedule.shard_indices' are not increasing indices below 'shards'");
  return s;
}

}  // namespace

load_file read_load_json(json::value const& document) {
  if (!document.is_object()) throw std::invalid_argument("not a load JSON: not a JSON object");
  auto const* schema = document.get_object().if_contains("schema");
  if (!schema || !schema->is_string() || !schema->get_string().starts_with("splitbench.load/"))
    throw std::invalid_argument("not a load JSON (`splitbench load --json`): no splitbench.load schema");
  if (schema->get_string() != load_schema)
    throw std::invalid_argument(fmt::format("load JSON of schema '{}'; this version reads '{}' (write it again with this splitbench)",
                                            std::string(schema->get_string()), load_schema));
  fields f(document, "");
  load_file out;
  out.schedule = schedule_of(f.sub("schedule"));
  auto& r = out.result;
  r.open_loop = f.get<std::string>("mode") == "open";
  if (r.open_loop) r.target_rate = f.get<double>("target_rate");
  r.start_unix_ns = out.schedule.start_unix_ns;
  r.measured_seconds = f.get<double>("measured_seconds");
  r.requests = f.get<std::uint64_t>("requests");
  r.unsent = f.get<std::uint64_t>("unsent");
  r.late = f.get<std::uint64_t>("late");
  r.in_flight_at_end = f.get<std::uint64_t>("in_flight_at_end");
  r.reconnects = f.get<std::uint64_t>("reconnects");
  r.threads = f.get<int>("threads");
  r.connections = f.get<int>("connections");
  r.connections_busy = f.get<double>("connections_busy");
  r.driver_cpu_seconds = f.sub("driver").get<double>("cpu_seconds");
  r.cancelled = f.get<bool>("cancelled");
  r.all.name = "all";
  r.all.responses = f.get<std::uint64_t>("responses");
  r.all.errors = errors_of(f.sub("errors_by_kind"));
  r.all.status_classes = classes_of(f.sub("status_classes"));
  r.all.good_in_window = f.get<std::uint64_t>("good_in_window");
  r.all.errors_in_window = f.get<std::uint64_t>("errors_in_window");
  r.all.response_time = f.hist("latency_us");
  r.all.good_response_time = f.hist("good_latency_us");
  r.all.service_time = f.hist("service_time_us");
  if (r.open_loop) {
    r.send_lag = f.hist("send_lag_us");
    r.queue_wait = f.hist("queue_wait_us");
  }
  r.hiccups = f.hist("hiccups_us");
  auto const& routes = f.array("routes");
  for (std::size_t i = 0; i < routes.size(); ++i) {
    fields rf(routes[i], fmt::format("routes[{}]", i));
    read_route(rf, r.routes.emplace_back(rf.get<std::string>("name")));
  }
  auto const& seconds = f.array("per_second");
  for (std::size_t i = 0; i < seconds.size(); ++i) {
    fields sf(seconds[i], fmt::format("per_second[{}]", i));
    auto& s = r.per_second.emplace_back();
    s.responses = sf.get<std::uint64_t>("responses");
    s.errors = sf.get<std::uint64_t>("errors");
    try {
      s.response_time = histogram_in(seconds[i].get_object());
    } catch (std::invalid_argument const& e) {
      throw std::invalid_argument(fmt::format("'per_second[{}]': {}", i, e.what()));
    }
    s.p50_ns = s.response_time.value_at_percentile(50);
    s.p99_ns = s.response_time.value_at_percentile(99);
  }
  return out;
}

}  // namespace splitbench::bench
