// Names of the design's enumerations, as the design file spells them.
#include "powerstack/design/design.hpp"

namespace powerstack::design {

const char* to_string(SourceKind k) {
  switch (k) {
    case SourceKind::kUsb:
      return "usb";
    case SourceKind::kBus:
      return "bus";
    case SourceKind::kAcRectifier:
      return "ac-rectifier";
    case SourceKind::kSolar:
      return "solar";
    case SourceKind::kDc:
      return "dc";
  }
  return "?";
}

const char* to_string(StorageKind k) {
  switch (k) {
    case StorageKind::kCapacitor:
      return "capacitor";
    case StorageKind::kSupercap:
      return "supercap";
    case StorageKind::kBattery:
      return "battery";
  }
  return "?";
}

const char* to_string(ConverterKind k) {
  switch (k) {
    case ConverterKind::kLdo:
      return "ldo";
    case ConverterKind::kBuck:
      return "buck";
    case ConverterKind::kBoost:
      return "boost";
    case ConverterKind::kBuckBoost:
      return "buck-boost";
    case ConverterKind::kCharger:
      return "charger";
  }
  return "?";
}

const char* to_string(EventKind k) {
  switch (k) {
    case EventKind::kBurst:
      return "burst";
    case EventKind::kDropout:
      return "dropout";
    case EventKind::kSwap:
      return "swap";
  }
  return "?";
}

}  // namespace powerstack::design
