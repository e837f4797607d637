// The matrix as a terminal table (rows attacks, columns stages).
#pragma once

#include <iosfwd>

#include "runner/ablation.h"
#include "runner/matrix.h"

namespace lab::runner {

void print_matrix_table(const MatrixResult& result, std::ostream& out, bool color);

// The ablation of one stage: each control, the attacks run without it, and the verdict.
void print_ablation_table(const AblationResult& result, std::ostream& out, bool color);

}  // namespace lab::runner
