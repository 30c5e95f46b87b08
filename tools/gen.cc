// `idemcheck gen --seed S --ops N [--profile NAME]`: writes a trace of operations without
// outcomes, drawn by the property suite's generators, for a driver of any system to execute and
// fill in (docs/traces.md).

#include <iostream>
#include <ostream>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "idemcheck/ops.h"
#include "idemcheck/values.h"
#include "properties/generators.h"
#include "tools/command.h"
#include "tools/flags.h"
#include "traces/trace_writer.h"

namespace idemcheck::cli {
namespace {

constexpr char kName[] = "idemcheck gen";
constexpr uint64_t kMaxOps = 100'000'000;

int Gen(const std::vector<std::string>& args, std::ostream& out, std::ostream& err) {
  absl::StatusOr<Flags> flags = Flags::Parse(
      args, {{"seed"}, {"ops"}, {"profile"}, {"retention-seconds"}, {"session-ttl-seconds"}});
  if (!flags.ok()) {
    err << kName << ": " << flags.status().message() << "\n";
    return kExitUsage;
  }
  if (!flags->Has("seed") || !flags->Has("ops")) {
    err << kName << ": --seed S and --ops N are required\n";
    return kExitUsage;
  }
  Limits limits;
  absl::StatusOr<uint64_t> seed = flags->Uint("seed", 0);
  absl::StatusOr<uint64_t> ops = flags->Uint("ops", 0, 0, kMaxOps);
  absl::StatusOr<uint64_t> retention =
      flags->Uint("retention-seconds", limits.retention_seconds, 1);
  absl::StatusOr<uint64_t> ttl = flags->Uint("session-ttl-seconds", limits.session_ttl_seconds, 1);
  for (const absl::Status& s : {seed.status(), ops.status(), retention.status(), ttl.status()}) {
    if (!s.ok()) {
      err << kName << ": " << s.message() << "\n";
      return kExitUsage;
    }
  }
  limits.retention_seconds = *retention;
  limits.session_ttl_seconds = *ttl;
  const std::string profile = flags->String("profile").value_or("mixed");

  absl::StatusOr<std::vector<Op>> sample = properties::SampleOps(*seed, *ops, profile, limits);
  if (!sample.ok()) {
    err << kName << ": " << sample.status().message() << "\n";
    return kExitUsage;
  }
  traces::TraceWriter writer = traces::TraceWriter::WithOrdinals(
      out, limits,
      absl::StrCat("idemcheck gen --seed ", *seed, " --ops ", *ops, " --profile ", profile));
  for (const Op& op : *sample) writer.Write(op);
  out.flush();
  if (absl::Status s = writer.status(); !s.ok()) {
    err << kName << ": " << s.message() << "\n";
    return kExitUsage;
  }
  return kExitOk;
}

IDEMCHECK_REGISTER_COMMAND(
    gen,
    {
        .name = "gen",
        .usage = "idemcheck gen --seed S --ops N [--profile NAME] [--retention-seconds S] "
                 "[--session-ttl-seconds S]",
        .summary = "write a trace of generated operations for another system's driver to execute",
        .run = Gen,
    });

}  // namespace
}  // namespace idemcheck::cli
