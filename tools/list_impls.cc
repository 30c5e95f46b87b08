// `idemcheck list-impls`: every registered store, one per line, its name first.

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
    out << absl::StrFormat("%-36s %-14s %s\n", info->name, StoreKindName(info->kind),
                           info->description);
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
