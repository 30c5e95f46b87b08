// `idemcheck check --impl NAME`: the property suite (P1-P13) against one registered store, with
// a shrunk counterexample and a command that reproduces it when a property fails.

#include <cstdint>
#include <ostream>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/time/time.h"
#include "idemcheck/registry.h"
#include "properties/checker.h"
#include "properties/properties.h"
#include "tools/check_parallel.h"
#include "tools/command.h"
#include "tools/flags.h"

namespace idemcheck::cli {
namespace {

using properties::CheckConfig;
using properties::Property;
using properties::PropertyResult;

constexpr char kUsage[] =
    "idemcheck check --impl NAME [--cases N] [--seed S] [--max-ops N] [--property P[,P...]]\n"
    "       idemcheck check --impl NAME --parallel [--cases N] [--seed S] [--max-ops N]";

int Usage(std::ostream& err, absl::string_view problem) {
  err << "idemcheck check: " << problem << "\nusage: " << kUsage << "\n";
  return kExitUsage;
}

std::string RegisteredNames() {
  std::vector<std::string> names;
  for (const StoreInfo* info : Registry::Global().All()) names.push_back(info->name);
  return absl::StrJoin(names, ", ");
}

std::string PropertyNames() {
  std::vector<std::string> names;
  for (const Property& p : properties::AllProperties()) {
    names.push_back(absl::StrCat(p.id, " (", p.name, ")"));
  }
  return absl::StrJoin(names, ", ");
}

double PerSecond(size_t cases, absl::Duration elapsed) {
  const double seconds = absl::ToDoubleSeconds(elapsed);
  return seconds > 0 ? static_cast<double>(cases) / seconds : 0;
}

void PrintProgress(std::ostream& out, const PropertyResult& r) {
  const Property& p = *r.property;
  if (!r.applicable) {
    out << absl::StrFormat("  %-4s %-18s n/a     (does not apply to this store)\n", p.id, p.name);
  } else if (r.passed()) {
    out << absl::StrFormat("  %-4s %-18s ok      %6d cases  %7.2f s  %8.0f cases/s\n", p.id, p.name,
                           r.cases_run, absl::ToDoubleSeconds(r.elapsed),
                           PerSecond(r.cases_run, r.elapsed));
  } else {
    const properties::Counterexample& c = *r.counterexample;
    out << absl::StrFormat(
        "  %-4s %-18s FAILED  at case %d; shrunk from %d to %d ops in %d steps (%.2f s)\n", p.id,
        p.name, r.cases_run, c.original_ops, c.ops.size(), c.shrink_steps,
        absl::ToDoubleSeconds(c.shrink_time));
  }
  out.flush();
}

int Check(const std::vector<std::string>& args, std::ostream& out, std::ostream& err) {
  absl::StatusOr<Flags> flags = Flags::Parse(args, {{"impl"},
                                                    {"cases"},
                                                    {"seed"},
                                                    {"max-ops"},
                                                    {"property"},
                                                    {"parallel", /*takes_value=*/false}});
  if (!flags.ok()) return Usage(err, flags.status().message());
  const std::optional<std::string> impl = flags->String("impl");
  if (!impl.has_value()) {
    return Usage(err, absl::StrCat("--impl is required; registered stores: ", RegisteredNames()));
  }
  const StoreInfo* info = Registry::Global().Find(*impl);
  if (info == nullptr) {
    return Usage(
        err, absl::StrCat("no store named '", *impl, "'; registered stores: ", RegisteredNames()));
  }
  if (flags->Has("parallel")) {
    if (flags->Has("property")) return Usage(err, "--property does not apply with --parallel");
    return CheckParallelCommand(*info, *flags, out, err);
  }
  CheckConfig config;
  absl::StatusOr<uint64_t> cases = flags->Uint("cases", config.cases, 1, 100'000'000);
  if (!cases.ok()) return Usage(err, cases.status().message());
  absl::StatusOr<uint64_t> seed = flags->Uint("seed", config.seed);
  if (!seed.ok()) return Usage(err, seed.status().message());
  absl::StatusOr<uint64_t> max_ops = flags->Uint("max-ops", config.max_ops, 1, 10'000);
  if (!max_ops.ok()) return Usage(err, max_ops.status().message());
  config.cases = *cases;
  config.seed = *seed;
  config.max_ops = *max_ops;
  config.on_progress = [&out](const Property& p, size_t cases_run) {
    out << absl::StrFormat("  %-4s %-18s ...     %6d cases so far\n", p.id, p.name, cases_run);
    out.flush();
  };

  std::vector<const Property*> selected;
  if (std::optional<std::string> list = flags->String("property")) {
    for (absl::string_view id : absl::StrSplit(*list, ',')) {
      const Property* p = properties::FindProperty(id);
      if (p == nullptr) {
        return Usage(err, absl::StrCat("no property '", id, "'; properties: ", PropertyNames()));
      }
      selected.push_back(p);
    }
  } else {
    selected = properties::DefaultRunOrder();
  }

  out << absl::StrFormat(
      "checking %s (%s): %d properties, %d cases each, seed %d, up to %d ops per case\n",
      info->name, StoreKindName(info->kind), selected.size(), config.cases, config.seed,
      config.max_ops);
  const properties::Subject subject{.name = info->name};
  absl::StatusOr<std::vector<PropertyResult>> results = properties::CheckAll(
      selected, subject, config, [&](const PropertyResult& r) { PrintProgress(out, r); });
  if (!results.ok()) {
    err << "idemcheck check: " << results.status().message() << "\n";
    return kExitUsage;
  }
  size_t total = 0;
  absl::Duration elapsed;
  for (const PropertyResult& r : *results) {
    total += r.cases_run;
    elapsed += r.elapsed;
  }
  const PropertyResult& last = results->back();
  if (last.passed()) {
    out << absl::StrFormat("passed: %d cases in %.2f s, %.0f cases/s\n", total,
                           absl::ToDoubleSeconds(elapsed), PerSecond(total, elapsed));
    return kExitOk;
  }
  const properties::Counterexample& c = *last.counterexample;
  out << "\ncounterexample (" << c.ops.size() << " ops):\n"
      << c.report << "\nreproduce: idemcheck check --impl " << info->name << " --property "
      << last.property->id << " --seed " << c.case_seed << " --cases 1 --max-ops " << config.max_ops
      << "\n";
  return kExitFailed;
}

IDEMCHECK_REGISTER_COMMAND(
    check,
    {
        .name = "check",
        .usage = kUsage,
        .summary = "run the property suite (P1-P13) against a store; shrink and print a failure",
        .run = Check,
    });

}  // namespace
}  // namespace idemcheck::cli
