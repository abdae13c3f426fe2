#include "bench/deploy/yaml.hpp"

#include <boost/json/value.hpp>
#include <catch2/catch.hpp>

using namespace splitbench::deploy;
namespace json = boost::json;

TEST_CASE("YAML: objects and lists in block style, the first key of a listed object on its dash") {
  json::value v = {{"kind", "Service"},
                   {"spec", {{"ports", json::array{{{"name", "http"}, {"port", 8080}}}}, {"selector", {{"app", "catalog"}}}}},
                   {"empty", json::object{}},
                   {"none", json::array{}}};
  CHECK(to_yaml(v) ==
        "kind: Service\n"
        "spec:\n"
        "  ports:\n"
        "    - name: http\n"
        "      port: 8080\n"
        "  selector:\n"
        "    app: catalog\n"
        "empty: {}\n"
        "none: []\n");
}

TEST_CASE("YAML: a string that would read back as something else is quoted") {
  json::value v = {{"a", "8080"}, {"b", "true"}, {"c", "0.5"}, {"d", "$(JOB_COMPLETION_INDEX)/2"}, {"e", "no"}, {"f", "-"},
                   {"g", "500m"}, {"h", "catalog:8080"}, {"i", "http://gateway:8080/"}, {"j", ""}, {"k", "a b"}, {"l", "12:30"}};
  CHECK(to_yaml(v) ==
        "a: \"8080\"\n"
        "b: \"true\"\n"
        "c: \"0.5\"\n"
        "d: \"$(JOB_COMPLETION_INDEX)/2\"\n"
        "e: \"no\"\n"
        "f: \"-\"\n"
        "g: 500m\n"
        "h: catalog:8080\n"
        "i: http://gateway:8080/\n"
        "j: \"\"\n"
        "k: \"a b\"\n"
        "l: \"12:30\"\n");
}

TEST_CASE("YAML: numbers, booleans and null as themselves, and lists of scalars one a line") {
  json::value v = {{"count", 2}, {"x", 0.5}, {"t", true}, {"z", nullptr}, {"cmd", json::array{"splitbench", "--threads", "1"}}};
  CHECK(to_yaml(v) ==
        "count: 2\n"
        "x: 0.5\n"
        "t: true\n"
        "z: null\n"
        "cmd:\n"
        "  - splitbench\n"
        "  - --threads\n"
        "  - \"1\"\n");
}

TEST_CASE("YAML: text of several lines as a literal block, anything else with lines quoted") {
  json::value v = {{"data", {{"split.yaml", "deployment: split\nprocesses:\n  - name: gateway\n"}, {"one", "x\n"}}}};
  CHECK(to_yaml(v) ==
        "data:\n"
        "  split.yaml: |\n"
        "    deployment: split\n"
        "    processes:\n"
        "      - name: gateway\n"
        "  one: \"x\\n\"\n");
}

TEST_CASE("YAML: documents of a stream apart by ---") {
  CHECK(to_yaml_stream({json::value{{"a", 1}}, json::value{{"b", 2}}}) == "a: 1\n---\nb: 2\n");
}
