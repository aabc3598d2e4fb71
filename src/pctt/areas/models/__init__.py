from pctt.areas.models.units import AdminUnit, HazardZone, WardSetting

__all__ = ["AdminUnit", "HazardZone", "WardSetting"]
