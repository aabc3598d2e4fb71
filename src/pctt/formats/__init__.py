"""Project date, time and number formats (FORMAT_MODULE_PATH), where Django's differ from use."""
