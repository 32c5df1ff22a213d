#include "powerstack/balancer_manager/pack_table.hpp"

namespace powerstack::balancer_manager {

const char* cell_status_name(CellStatus status) {
  switch (status) {
    case CellStatus::kUnknown:
      return "unknown";
    case CellStatus::kOk:
      return "ok";
    case CellStatus::kSilent:
      return "silent";
    case CellStatus::kMissing:
      return "missing";
  }
  return "?";
}

}  // namespace powerstack::balancer_manager
