// trace_driver: executes a trace of operations on a registered store and writes the trace back,
// filled in with the store's outcomes and spelled with the store's own IDs. It does for the
// in-tree stores what a driver written for any other system does (docs/traces.md):
//
//   idemcheck gen --seed 1 --ops 500 | trace_driver --impl impl | idemcheck check-trace -
//
// usage: trace_driver --impl NAME [--fault-every N] [--weak-hash] [FILE|-]
//        trace_driver --list-mutants
//
// --fault-every N fails every N-th operation part-way through, through the store's
// FaultInjectable capability, and retries it at once, as a client retries a transient error: the
// trace shows the failed call (code "Unavailable") and then the retry. --weak-hash builds the
// store with the property suite's 4-bit lookup hash, so that its idempotency lookups collide
// (M9). --list-mutants prints the mutants a sequential trace can catch, one per line.
//
// Exit codes: 0 written, 2 usage error or malformed input.

#include <cstdint>
#include <fstream>
#include <iostream>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "idemcheck/driver.h"
#include "idemcheck/fault_injection.h"
#include "idemcheck/registry.h"
#include "idemcheck/store.h"
#include "properties/properties.h"
#include "traces/trace.h"
#include "traces/trace_reader.h"
#include "traces/trace_writer.h"

namespace idemcheck::traces {
namespace {

constexpr char kUsage[] =
    "usage: trace_driver --impl NAME [--fault-every N] [--weak-hash] [FILE|-]\n"
    "       trace_driver --list-mutants";

struct DriverOptions {
  std::string impl;
  uint64_t fault_every = 0;  // 0: no faults
  bool weak_hash = false;
};

// Every mutant except those whose bug shows only when calls overlap: no trace, which is one
// sequential history, can show theirs.
void ListMutants() {
  for (const StoreInfo* info : Registry::Global().All()) {
    if (info->kind == StoreKind::kMutant && !info->concurrent_only) std::cout << info->name << "\n";
  }
}

absl::Status Execute(std::istream& in, const DriverOptions& options, std::ostream& out) {
  absl::StatusOr<TraceReader> reader = TraceReader::Open(in);
  if (!reader.ok()) return reader.status();
  if (reader->header().ids != IdSpelling::kOrdinal) {
    return absl::InvalidArgumentError(
        "line 1: the trace spells IDs \"raw\"; this driver executes traces with \"ordinal\" IDs, "
        "as idemcheck gen writes them");
  }
  absl::StatusOr<std::unique_ptr<Store>> store = Registry::Global().Create(
      options.impl,
      StoreOptions{.limits = reader->header().limits,
                   .lookup_hash = options.weak_hash ? &properties::WeakLookupHash : nullptr});
  if (!store.ok()) return store.status();
  auto* faults = dynamic_cast<FaultInjectable*>(store->get());
  Driver driver(**store);
  std::string producer = absl::StrCat("trace_driver --impl ", options.impl);
  if (options.fault_every > 0) absl::StrAppend(&producer, " --fault-every ", options.fault_every);
  if (options.weak_hash) absl::StrAppend(&producer, " --weak-hash");
  TraceWriter writer =
      TraceWriter::WithStoreIds(out, reader->header().limits, producer, driver.renaming());
  for (uint64_t n = 1;; ++n) {
    absl::StatusOr<std::optional<TraceStep>> step = reader->Next();
    if (!step.ok()) return step.status();
    if (!step->has_value()) break;
    const Op& op = (*step)->op;
    // Any outcome already in the input is replaced by what this store returns.
    if (faults != nullptr && options.fault_every > 0 && n % options.fault_every == 0) {
      // Vary where the operation fails: before, between and after its internal steps.
      faults->ArmFault((n / options.fault_every) % 4);
      Outcome first = driver.Apply(op);
      if (!faults->FaultFired()) {
        writer.Write(op, first);
        continue;
      }
      writer.WriteUnavailable(op, first.message);
    }
    writer.Write(op, driver.Apply(op));
  }
  out.flush();
  return writer.status();
}

int Main(const std::vector<std::string>& args) {
  // Block-buffered standard streams: a driver sits in a pipeline.
  std::ios::sync_with_stdio(false);
  if (args.size() == 1 && args[0] == "--list-mutants") {
    ListMutants();
    return 0;
  }
  DriverOptions options;
  std::optional<std::string> path;
  for (size_t i = 0; i < args.size(); ++i) {
    const bool has_value = i + 1 < args.size();
    if (args[i] == "--impl" && has_value && options.impl.empty()) {
      options.impl = args[++i];
    } else if (args[i] == "--fault-every" && has_value && options.fault_every == 0 &&
               absl::SimpleAtoi(args[i + 1], &options.fault_every) && options.fault_every > 0) {
      ++i;
    } else if (args[i] == "--weak-hash" && !options.weak_hash) {
      options.weak_hash = true;
    } else if ((args[i] == "-" || args[i].rfind("--", 0) != 0) && !path) {
      path = args[i];
    } else {
      std::cerr << "trace_driver: unexpected argument '" << args[i] << "'\n" << kUsage << "\n";
      return 2;
    }
  }
  if (options.impl.empty()) {
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
  if (absl::Status s = Execute(*in, options, std::cout); !s.ok()) {
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
