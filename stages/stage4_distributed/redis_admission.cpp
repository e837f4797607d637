#include "stage4_distributed/redis_admission.h"

#include <spdlog/spdlog.h>

#include <stdexcept>
#include <string>
#include <vector>

#include "store/redis/admission_recording.h"

namespace lab::stage4 {

using store::AdmissionRecording;

void RedisAdmission::begin() { AdmissionRecording::open(); }

void RedisAdmission::discard() noexcept { (void)AdmissionRecording::close(); }

bool RedisAdmission::commit() {
  const AdmissionRecording recording = AdmissionRecording::close();
  if (recording.abandoned()) return false;
  const auto& steps = recording.steps();
  if (steps.empty()) return true;
  std::vector<std::string> text;  // the strings the command's views point into
  text.reserve(2 + steps.size() * 4);
  text.push_back(std::to_string(steps.size()));
  for (const auto& s : steps) text.push_back(s.key);
  for (const auto& s : steps) {
    text.push_back(s.kind);
    text.insert(text.end(), s.args.begin(), s.args.end());
  }
  std::vector<std::string_view> command{"FCALL", "admit"};
  command.insert(command.end(), text.begin(), text.end());
  auto reply = client_->replicated(command);
  if (!reply || reply->is_error()) {
    throw std::runtime_error("the shared controls are unavailable: " + (reply ? reply->text : reply.error().message));
  }
  if (reply->integer == 0) return true;
  spdlog::debug("optimistic admission: step {} ({}) does not hold; asking control by control", reply->integer,
                reply->integer >= 1 && static_cast<std::size_t>(reply->integer) <= steps.size()
                    ? steps[static_cast<std::size_t>(reply->integer) - 1].kind
                    : "?");
  return false;
}

}  // namespace lab::stage4
