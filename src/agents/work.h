// The real (small) work a worker does on a task's input, per specialty.
#pragma once

#include <string_view>

#include "core/domain.h"

namespace lab::agents {

// data_analysis: word, line and number statistics.
Json analyse_data(std::string_view input);
// code_review: a checklist over a code snippet (long lines, TODOs, dangerous calls, whitespace).
Json review_code(std::string_view input);
// testing: runs "expression = expected" integer arithmetic assertions, one per line.
Json run_tests(std::string_view input);
// documentation: outline and completeness check of a Markdown text.
Json summarise_document(std::string_view input);

Json perform_work(Specialty specialty, std::string_view input);

}  // namespace lab::agents
