// The matrix as a terminal table (rows attacks, columns stages).
#pragma once

#include <iosfwd>

#include "runner/matrix.h"

namespace lab::runner {

void print_matrix_table(const MatrixResult& result, std::ostream& out, bool color);

}  // namespace lab::runner
