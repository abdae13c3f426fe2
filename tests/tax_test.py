#!/usr/bin/python3
"""scripts/tax.py's parsing of callgrind files and its grouping of symbols, checked exactly
against tests/data/tax.callgrind, a file written by hand, and its reading of topologies; run by
ctest."""
import os
import subprocess
import sys
import unittest

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, "scripts"))
import tax  # noqa: E402

MAIN = "/src/build/bin/splitbench-monolith"
LIBC = "/usr/lib/x86_64-linux-gnu/libc.so.6"
JSON = "/usr/lib/x86_64-linux-gnu/libboost_json.so.1.81.0"
STDCXX = "/usr/lib/x86_64-linux-gnu/libstdc++.so.6.0.30"
RUN_ONE = ("boost::asio::detail::scheduler::do_run_one(boost::asio::detail::conditionally_enabled_mutex::scoped_lock&, "
           "boost::system::error_code const&)")
SEARCH = "splitbench::catalog::search(splitbench::search_query const&) const"
THUNK = ("std::_Function_handler<void (splitbench::net::response), splitbench::net::(anonymous namespace)::session::"
         "on_request()::{lambda(splitbench::net::response)#1}>::_M_invoke(std::_Any_data const&, splitbench::net::response&&)")
FIELD = ("splitbench::codec::json_writer& splitbench::codec::json_writer::field<long>(std::basic_string_view<char, "
         "std::char_traits<char> >, long const&)")


class Parse(unittest.TestCase):
    def setUp(self):
        with open(os.path.join(ROOT, "tests", "data", "tax.callgrind")) as f:
            self.prof = tax.parse(f.read())

    def test_self_costs_of_every_function(self):
        self.assertEqual(dict(self.prof.self_cost), {
            (MAIN, RUN_ONE): 15,                     # the lines after calls= are not its own
            (MAIN, SEARCH): 200,                     # relative lines, an inlined file (fi=, fe=) included
            (LIBC, "__memset_avx2_unaligned_erms"): 200,
            (LIBC, "recv"): 7,
            (LIBC, "pthread_mutex_lock@@GLIBC_2.2.5"): 10,
            (LIBC, "(below main)"): 3,
            (JSON, "0x000000000002f6c0'2"): 40,
            (MAIN, THUNK): 25,
            (MAIN, FIELD): 60,
            (STDCXX, "operator new(unsigned long)"): 4,
            (LIBC, "malloc"): 36,                    # defined by a cfn=, its costs under a later fn=
        })
        self.assertEqual(self.prof.totals, 600)
        self.assertEqual(sum(self.prof.self_cost.values()), self.prof.totals)

    def test_inclusive_costs_of_calls(self):
        self.assertEqual(dict(self.prof.calls), {
            ((MAIN, RUN_ONE), (MAIN, SEARCH)): 400,
            ((MAIN, RUN_ONE), (LIBC, "recv")): 7,
            ((MAIN, RUN_ONE), (LIBC, "pthread_mutex_lock@@GLIBC_2.2.5")): 10,
            ((MAIN, SEARCH), (LIBC, "__memset_avx2_unaligned_erms")): 200,
            ((MAIN, THUNK), (LIBC, "malloc")): 30,
            ((MAIN, FIELD), (STDCXX, "operator new(unsigned long)")): 10,
            ((STDCXX, "operator new(unsigned long)"), (LIBC, "malloc")): 6,
        })

    def test_self_costs_by_group(self):
        self.assertEqual(dict(tax.by_group(self.prof)),
                         {"logic": 200, "codec": 100, "http": 25, "asio": 22, "alloc": 40, "other": 213})

    def test_library_costs_charged_to_their_callers(self):
        # memset to the catalog (logic); malloc 30/36 to the thunk (http) and 6/36 through
        # operator new to the codec; the mutex to Asio; (below main) has no caller: other.
        charged = tax.by_group_charged(self.prof)
        self.assertEqual({g: round(v, 9) for g, v in charged.items()},
                         {"logic": 400, "codec": 110, "http": 55, "asio": 32, "alloc": 0, "other": 3})


class Group(unittest.TestCase):
    def test_owner_is_the_function_itself(self):
        cases = {
            FIELD: "splitbench::codec::json_writer::field",
            THUNK: "splitbench::net::(anonymous namespace)::session::on_request",
            SEARCH: "splitbench::catalog::search",
            "splitbench::storefront::quote(splitbench::quote_request, std::function<void (int)>)::{lambda()#1}::operator()() const":
                "splitbench::storefront::quote",
            "boost::beast::iless::operator()(boost::core::basic_string_view<char>, boost::core::basic_string_view<char>) const":
                "boost::beast::iless::operator()",
            "std::basic_ostream<char>& std::operator<< <std::char_traits<char> >(std::basic_ostream<char>&, char const*)":
                "std::operator<<",
            "decltype ((declval<X>)()) boost::mp11::detail::mp_with_index_impl_<3ul>::call<0ul, F>(unsigned long, F&&)":
                "boost::mp11::detail::mp_with_index_impl_::call",
            "splitbench::net::(anonymous namespace)::split_path(std::basic_string_view<char>) [clone .isra.0]":
                "splitbench::net::(anonymous namespace)::split_path",
            "splitbench::net::session::parse_buffered()'2": "splitbench::net::session::parse_buffered",
        }
        for symbol, expected in cases.items():
            self.assertEqual(tax.owner(symbol), expected, symbol)

    def test_groups_by_the_first_matching_rule(self):
        cases = [
            (SEARCH, MAIN, "logic"),
            ("splitbench::(anonymous namespace)::score(std::string_view)", MAIN, "logic"),
            ("splitbench::order_desk::place(splitbench::order_request, F)", MAIN, "logic"),
            (FIELD, MAIN, "codec"),
            ("boost::json::object::find(boost::core::basic_string_view<char>) const", JSON, "codec"),
            ("0x000000000002c570", JSON, "codec"),
            (THUNK, MAIN, "http"),
            ("boost::beast::http::basic_parser<true>::parse_start_line(char const*&)", MAIN, "http"),
            ("splitbench::split::http_catalog::find(unsigned int, F)", MAIN, "http"),
            (RUN_ONE, MAIN, "asio"),
            ("epoll_wait", LIBC, "asio"),
            ("clock_gettime@@GLIBC_2.17", LIBC, "asio"),
            ("__pthread_enable_asynccancel", LIBC, "asio"),
            ("operator new(unsigned long)", STDCXX, "alloc"),
            ("_int_free", LIBC, "alloc"),
            ("__memcpy_avx_unaligned_erms", LIBC, "other"),
            ("std::__cxx11::basic_string<char>::push_back(char)", MAIN, "other"),
            ("fmt::v9::detail::write<char>(F, int)", MAIN, "other"),
            ("splitbench::cli::guarded_main(char const*, F)", MAIN, "other"),
            ("splitbench::price_quote::price_quote(splitbench::price_quote const&)", MAIN, "other"),
            ("splitbench::quote_request::~quote_request()", MAIN, "other"),
            ("splitbench::catalog::catalog(unsigned long)", MAIN, "other"),
        ]
        for symbol, obj, expected in cases:
            self.assertEqual(tax.group_of(symbol, obj), expected, symbol)


class Topologies(unittest.TestCase):
    def test_names_groups_and_start_order_as_host_topology_has_them(self):
        cases = {
            # text: (name, [(process, peers)] in start order, the gateway's group last)
            "monolith": ("monolith", [("monolith", [])]),
            "split": ("split", [("catalog", []), ("inventory", []), ("pricing", []),
                                ("orders", ["catalog", "inventory", "pricing"]),
                                ("gateway", ["catalog", "inventory", "pricing", "orders"])]),
            # The cycle: pricing+orders calls catalog, in the gateway's group, which starts last.
            "pricing+orders, inventory ,catalog+gateway": (
                "gateway+catalog,inventory,pricing+orders",
                [("inventory", []), ("pricing+orders", ["catalog", "inventory"]), ("gateway+catalog", ["inventory", "pricing", "orders"])]),
            "orders+gateway+pricing+inventory+catalog": ("gateway+catalog+inventory+pricing+orders",
                                                         [("gateway+catalog+inventory+pricing+orders", [])]),
        }
        for text, (name, order) in cases.items():
            t = tax.Topology(text)
            self.assertEqual(t.name, name, text)
            self.assertEqual([(t.process_name(i), t.peers(i)) for i in t.start_order()], order, text)
        self.assertTrue(tax.Topology("serialized").serialized)
        self.assertEqual(tax.Topology("gateway+catalog,inventory,pricing+orders").label, "gateway-catalog_inventory_pricing-orders")

    def test_a_wrong_topology_says_what_is_wrong(self):
        cases = {
            "gateway,catalog": "inventory,pricing,orders are in no group",
            "gateway+gateway,catalog,inventory,pricing,orders": "gateway is placed twice",
            "gateway,catalog,,inventory,pricing,orders": "has an empty group",
            "gateway+,catalog,inventory,pricing,orders": "no service is named ''",
            "monolit": "no service is named 'monolit'",
        }
        for text, message in cases.items():
            with self.assertRaises(ValueError, msg=text) as e:
                tax.Topology(text)
            self.assertIn(message, str(e.exception))

    def test_the_monolith_comes_first_and_once(self):
        self.assertEqual([t.name for t in tax.topologies(["split", "serialized"])], ["monolith", "split", "serialized"])
        self.assertEqual([t.name for t in tax.topologies(["serialized", "monolith"])], ["monolith", "serialized"])
        with self.assertRaises(ValueError):
            tax.topologies(["split", "gateway,catalog,inventory,pricing,orders"])


class Summary(unittest.TestCase):
    @staticmethod
    def entry(requests, processes):
        """A measurement of the mix: {process: (logic, codec)} instructions in the window."""
        def groups(logic, codec):
            return {"logic": logic, "codec": codec, "http": 0, "asio": 0, "alloc": 0, "other": 0}
        return {"mix": {"requests": requests, "processes": {name: {"groups": groups(*g)} for name, g in processes.items()}}}

    def test_each_deployment_against_the_monolith(self):
        results = {"monolith": self.entry(10, {"monolith": (100, 300)}),
                   "serialized": self.entry(10, {"monolith": (100, 900)}),
                   "gateway+catalog,inventory,pricing+orders": self.entry(10, {"gateway+catalog": (80, 800), "inventory": (0, 200),
                                                                               "pricing+orders": (20, 400)})}
        rows = tax.summarize(results, "groups")["mix"]
        self.assertEqual(list(rows), ["monolith", "serialized", "serialized - monolith", "gateway+catalog,inventory,pricing+orders",
                                      "gateway+catalog,inventory,pricing+orders: gateway+catalog",
                                      "gateway+catalog,inventory,pricing+orders: inventory",
                                      "gateway+catalog,inventory,pricing+orders: pricing+orders",
                                      "gateway+catalog,inventory,pricing+orders - monolith"])
        self.assertEqual(rows["serialized"]["total"], 100)
        self.assertEqual(rows["serialized"]["tax_share"], 0.9)
        self.assertEqual(rows["serialized - monolith"], {"by_group": {"logic": 0, "codec": 60, "http": 0, "asio": 0, "alloc": 0,
                                                                      "other": 0}, "total": 60})
        self.assertEqual(rows["gateway+catalog,inventory,pricing+orders - monolith"]["total"], 110)
        self.assertIn("| serialized - monolith | +0 | +60 | +60 | 100% of the extra |", tax.markdown({"mix": rows}, results, "Self"))


class Served(unittest.TestCase):
    def test_internal_calls_are_counted_apart(self):
        metrics = "\n".join([
            "splitbench_http_requests_total 57",
            'splitbench_http_request_duration_seconds_bucket{method="GET",route="/internal/products/{id}",le="+Inf"} 9',
            'splitbench_http_request_duration_seconds_count{method="GET",route="/internal/products/{id}"} 9',
            'splitbench_http_request_duration_seconds_count{method="POST",route="/internal/products"} 3',
            'splitbench_http_request_duration_seconds_count{method="GET",route="/api/products/{id}"} 40',
            'splitbench_http_request_duration_seconds_count{method="GET",route="/metrics"} 5',
        ])
        self.assertEqual(tax.served_counts(metrics), (57, 12))


class Command(unittest.TestCase):
    def test_an_unknown_route_is_a_usage_error(self):
        r = subprocess.run([sys.executable, os.path.join(ROOT, "scripts", "tax.py"), "--routes", "mix,nope"],
                           capture_output=True, text=True)
        self.assertEqual(r.returncode, 2)
        self.assertIn("nope", r.stderr)

    def test_a_wrong_topology_is_a_usage_error(self):
        r = subprocess.run([sys.executable, os.path.join(ROOT, "scripts", "tax.py"), "--deployment", "gateway+catalog"],
                           capture_output=True, text=True)
        self.assertEqual(r.returncode, 2)
        self.assertIn("inventory,pricing,orders are in no group", r.stderr)


if __name__ == "__main__":
    unittest.main()
