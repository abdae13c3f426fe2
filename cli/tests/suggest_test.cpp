#include "cli/suggest.hpp"

#include <catch2/catch.hpp>

using namespace splitbench::cli;

TEST_CASE("edit distance counts insertions, deletions, substitutions and swaps") {
  CHECK(edit_distance("", "") == 0);
  CHECK(edit_distance("rate", "rate") == 0);
  CHECK(edit_distance("rat", "rate") == 1);
  CHECK(edit_distance("rates", "rate") == 1);
  CHECK(edit_distance("rote", "rate") == 1);
  CHECK(edit_distance("rtae", "rate") == 1);
  CHECK(edit_distance("", "rate") == 4);
  CHECK(edit_distance("kitten", "sitting") == 3);
  CHECK(edit_distance("connections", "threads") == edit_distance("threads", "connections"));
}

TEST_CASE("the nearest name, only when it is clearly meant") {
  std::vector<std::string> flags{"rate", "connections", "threads", "duration", "warmup", "timeout", "json", "help"};
  CHECK(nearest("rat", flags) == "rate");
  CHECK(nearest("Rate", flags) == "rate");
  CHECK(nearest("conections", flags) == "connections");
  CHECK(nearest("thraeds", flags) == "threads");
  CHECK(nearest("jsno", flags) == "json");
  CHECK(nearest("dur", flags) == "duration");    // the only name it begins
  CHECK(nearest("conn", flags) == "connections");
  CHECK(nearest("t", flags) == std::nullopt);     // too short to guess
  CHECK(nearest("frobnicate", flags) == std::nullopt);
  CHECK(nearest("xyz", flags) == std::nullopt);
  CHECK(nearest("ti", {"timeout", "threads", "time"}) == std::nullopt);  // a prefix of two
  CHECK(nearest("lod", {"load", "lode"}) == std::nullopt);               // two equally near
  CHECK(nearest("lod", {"load", "up", "run"}) == "load");
}
