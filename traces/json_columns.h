// Columns of values inside one line of JSON text, for error messages that point at what is wrong.
//
// A decoded JSON document no longer knows where its values were written. When a trace line turns
// out to be malformed, the reader names the offending value by its path from the root and asks
// this function where that value starts, by parsing the line again with position tracking. The
// cost is paid once, on the error path only.

#ifndef IDEMCHECK_TRACES_JSON_COLUMNS_H_
#define IDEMCHECK_TRACES_JSON_COLUMNS_H_

#include <cstddef>
#include <string>
#include <vector>

#include "absl/strings/string_view.h"

namespace idemcheck::traces {

// One step of a path from the root of a JSON document: a member name, or an array index
// written in decimal.
using JsonPath = std::vector<std::string>;

// The 1-based byte column in `text` where the value at `path` is written: for an object member,
// the column of its name's opening quote; for the root or an array element, the column of the
// value's first character. 1 when `text` does not parse or has no such value.
size_t ColumnOf(absl::string_view text, const JsonPath& path);

}  // namespace idemcheck::traces

#endif  // IDEMCHECK_TRACES_JSON_COLUMNS_H_
