// `idemcheck list-impls`: every registered store, one per line: its name, its kind, its
// capabilities ("thread-safe", "concurrent-only" or "-") and its description. Scripts read the
// first three columns.

#include <ostream>
#include <string>
#include <vector>

#include "absl/strings/str_format.h"
#include "idemcheck/registry.h"
#include "tools/command.h"
#include "tools/flags.h"

namespace idemcheck::cli {
namespace {

int ListImpls(const std::vector<std::string>& args, std::ostream& out, std::ostream& err) {
  absl::StatusOr<Flags> flags = Flags::Parse(args, {});
  if (!flags.ok()) {
    err << "idemcheck list-impls: " << flags.status().message() << "\n";
    return kExitUsage;
  }
  for (const StoreInfo* info : Registry::Global().All()) {
    std::string traits = info->concurrent_only ? "concurrent-only"
                         : info->thread_safe    ? "thread-safe"
                                                : "-";
    out << absl::StrFormat("%-32s %-14s %-15s %s\n", info->name, StoreKindName(info->kind),
                           traits, info->description);
  }
  return kExitOk;
}

IDEMCHECK_REGISTER_COMMAND(list_impls, {
    .name = "list-impls",
    .usage = "idemcheck list-impls",
    .summary = "list every registered store: name, kind, description",
    .run = ListImpls,
});

}  // namespace
}  // namespace idemcheck::cli
