#include "store/redis/admission_recording.h"

#include <optional>

namespace lab::store {
namespace {

thread_local std::optional<AdmissionRecording> recording;

}  // namespace

AdmissionRecording* AdmissionRecording::on_this_thread() { return recording ? &*recording : nullptr; }

void AdmissionRecording::open() { recording.emplace(); }

AdmissionRecording AdmissionRecording::close() {
  AdmissionRecording out = recording ? std::move(*recording) : AdmissionRecording{};
  recording.reset();
  return out;
}

}  // namespace lab::store
