#include "runner/matrix_table.h"

#include <iomanip>
#include <map>
#include <ostream>

#include "runner/cell_letters.h"

namespace lab::runner {

void print_matrix_table(const MatrixResult& result, std::ostream& out, bool color) {
  const auto paint = [color](const std::string& s, const char* code) {
    return color ? std::string("\033[") + code + "m" + s + "\033[0m" : s;
  };
  std::map<std::pair<std::string, int>, const MatrixCell*> by_key;
  std::vector<std::string> order;
  for (const auto& c : result.cells) {
    if (!by_key.count({c.attack, c.stage}) && std::find(order.begin(), order.end(), c.attack) == order.end()) {
      order.push_back(c.attack);
    }
    by_key[{c.attack, c.stage}] = &c;
  }
  out << "\nAttack x stage matrix  (E exploited, B blocked, ! error, - not applicable; green = as the catalog expects)\n";
  out << std::left << std::setw(37) << "attack";
  for (int s : result.stages) out << std::setw(10) << ("stage " + std::to_string(s));
  out << "\n" << std::string(37 + 10 * result.stages.size(), '-') << "\n";
  for (const auto& attack : order) {
    out << std::left << std::setw(37) << attack;
    for (int s : result.stages) {
      auto it = by_key.find({attack, s});
      if (it == by_key.end()) {
        out << std::setw(10) << "";
        continue;
      }
      const MatrixCell& c = *it->second;
      std::string text = outcome_letter(c.outcome);
      if (!c.as_expected()) text += " (want " + expected_letter(c.expected) + ")";
      const std::string padded = text + std::string(text.size() < 10 ? 10 - text.size() : 1, ' ');
      out << paint(padded, c.as_expected() ? "32" : "1;31");
    }
    out << "\n";
  }
  const int drift = result.drift_count();
  out << "\n"
      << result.cells.size() - static_cast<std::size_t>(drift) << " of " << result.cells.size()
      << " cells as the catalog expects, "
      << (drift == 0 ? paint("no drift", "32") : paint(std::to_string(drift) + " drifted", "1;31")) << ", "
      << std::fixed << std::setprecision(1) << result.seconds << " s\n";
  for (const auto& c : result.cells) {
    if (!c.as_expected()) {
      out << paint("  drift: ", "1;31") << c.attack << " on stage " << c.stage << ": " << c.drift() << "\n";
    }
  }
}

void print_ablation_table(const AblationResult& result, std::ostream& out, bool color) {
  const auto paint = [color](const std::string& s, const char* code) {
    return color ? std::string("\033[") + code + "m" + s + "\033[0m" : s;
  };
  out << "\nAblation, stage " << result.stage
      << ": each control switched off alone, the attacks it exists to stop run without it (expect E)\n"
      << std::left << std::setw(27) << "control" << std::setw(16) << "verdict" << "attacks without it\n"
      << std::string(100, '-') << "\n";
  int necessary = 0, overlapped = 0;
  for (const auto& a : result.controls) {
    std::string cells;
    for (const auto& c : a.cells) cells += (cells.empty() ? "" : " ") + c.attack + "=" + outcome_letter(c.outcome);
    const std::string verdict(to_string(a.verdict));
    const char* tint = a.verdict == AblationVerdict::kNecessary    ? "32"
                       : a.verdict == AblationVerdict::kError      ? "1;31"
                       : a.verdict == AblationVerdict::kOverlapped ? "33"
                                                                   : "2";
    necessary += a.verdict == AblationVerdict::kNecessary ? 1 : 0;
    overlapped += a.verdict == AblationVerdict::kOverlapped ? 1 : 0;
    const std::string padded = verdict + std::string(16 - std::min<std::size_t>(15, verdict.size()), ' ');
    // A layer's joined names take a line of their own.
    if (a.control.name.size() >= 27) out << a.control.name << "\n" << std::string(27, ' ');
    else out << std::setw(27) << a.control.name;
    out << paint(padded, tint) << (cells.empty() ? "-" : cells) << "\n";
    if (a.verdict != AblationVerdict::kNecessary) out << std::string(43, ' ') << a.summary() << "\n";
  }
  out << "\n" << necessary << " of " << result.controls.size()
      << " controls (a row joined by + is a layer of them, off together) proven necessary by an attack, "
      << overlapped << " overlapped by another control, " << std::fixed << std::setprecision(1) << result.seconds
      << " s\n";
}

}  // namespace lab::runner
