#pragma once
/// A small YAML emitter for the files `splitbench deploy` writes: objects are built as JSON
/// values and only printed here, in block style, so that what a file says and what a test reads
/// back are the same data. Strings are written plain where YAML reads them back as the same
/// string, double-quoted otherwise ("8080", "true", "$(X)/2"), and as a literal block (`|`) where
/// they hold lines.
///
///   to_yaml({{"kind", "Service"}, {"ports", {{{"port", 8080}}}}})
///   kind: Service
///   ports:
///     - port: 8080

#include <boost/json/value.hpp>

#include <string>
#include <vector>

namespace splitbench::deploy {

/// One YAML document, ending with a newline.
std::string to_yaml(boost::json::value const& document);

/// Several documents in one stream, separated by `---`.
std::string to_yaml_stream(std::vector<boost::json::value> const& documents);

}  // namespace splitbench::deploy
