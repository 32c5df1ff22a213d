#include <fstream>
#include <ostream>

#include "powerstack/app/command.hpp"

namespace powerstack::app {

// Writes JSON to a file; reports a failure to open or write in one line.
bool write_json_file(const std::string& path, const nlohmann::json& doc, std::ostream& err) {
  std::ofstream f(path, std::ios::binary | std::ios::trunc);
  if (!f) {
    err << "powerstack: cannot write '" << path << "'\n";
    return false;
  }
  f << doc.dump(2) << '\n';
  f.close();
  if (!f) {
    err << "powerstack: error while writing '" << path << "'\n";
    return false;
  }
  return true;
}

}  // namespace powerstack::app
