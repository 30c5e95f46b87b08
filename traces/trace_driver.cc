// trace_driver: executes a trace of operations on a registered store and writes the trace back,
// filled in with the store's outcomes and spelled with the store's own IDs. It does for the
// in-tree stores what a driver written for any other system does (docs/traces.md):
//
//   idemcheck gen --seed 1 --ops 500 | trace_driver --impl impl | idemcheck check-trace -
//
// usage: trace_driver --impl NAME [FILE|-]
// Exit codes: 0 written, 2 usage error or malformed input.

#include <fstream>
#include <iostream>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "idemcheck/driver.h"
#include "idemcheck/registry.h"
#include "idemcheck/store.h"
#include "traces/trace.h"
#include "traces/trace_reader.h"
#include "traces/trace_writer.h"

namespace idemcheck::traces {
namespace {

constexpr char kUsage[] = "usage: trace_driver --impl NAME [FILE|-]";

absl::Status Execute(std::istream& in, const std::string& impl, std::ostream& out) {
  absl::StatusOr<TraceReader> reader = TraceReader::Open(in);
  if (!reader.ok()) return reader.status();
  if (reader->header().ids != IdSpelling::kOrdinal) {
    return absl::InvalidArgumentError(
        "line 1: the trace spells IDs \"raw\"; this driver executes traces with \"ordinal\" IDs, "
        "as idemcheck gen writes them");
  }
  absl::StatusOr<std::unique_ptr<Store>> store =
      Registry::Global().Create(impl, StoreOptions{.limits = reader->header().limits});
  if (!store.ok()) return store.status();
  Driver driver(**store);
  TraceWriter writer = TraceWriter::WithStoreIds(
      out, reader->header().limits, absl::StrCat("trace_driver --impl ", impl), driver.renaming());
  while (true) {
    absl::StatusOr<std::optional<TraceStep>> step = reader->Next();
    if (!step.ok()) return step.status();
    if (!step->has_value()) break;
    // Any outcome already in the input is replaced by what this store returns.
    writer.Write((*step)->op, driver.Apply((*step)->op));
  }
  out.flush();
  return writer.status();
}

int Main(const std::vector<std::string>& args) {
  std::optional<std::string> impl;
  std::optional<std::string> path;
  for (size_t i = 0; i < args.size(); ++i) {
    if (args[i] == "--impl" && i + 1 < args.size() && !impl) {
      impl = args[++i];
    } else if ((args[i] == "-" || args[i].rfind("--", 0) != 0) && !path) {
      path = args[i];
    } else {
      std::cerr << "trace_driver: unexpected argument '" << args[i] << "'\n" << kUsage << "\n";
      return 2;
    }
  }
  if (!impl) {
    std::cerr << "trace_driver: --impl NAME is required\n" << kUsage << "\n";
    return 2;
  }
  std::ifstream file;
  std::istream* in = &std::cin;
  if (path && *path != "-") {
    file.open(*path);
    if (!file) {
      std::cerr << "trace_driver: cannot open '" << *path << "'\n";
      return 2;
    }
    in = &file;
  }
  if (absl::Status s = Execute(*in, *impl, std::cout); !s.ok()) {
    std::cerr << "trace_driver: " << s.message() << "\n";
    return 2;
  }
  return 0;
}

}  // namespace
}  // namespace idemcheck::traces

int main(int argc, char** argv) {
  return idemcheck::traces::Main(std::vector<std::string>(argv + 1, argv + argc));
}
