"""Languages in which services help, by ISO 639-1 code, with their own name (endonym).

Endonyms, not Dutch names: a Polish speaker recognises "polski" whatever the page language.
"""

LANGUAGE_NAMES: dict[str, str] = {
    "nl": "Nederlands",
    "en": "English",
    "de": "Deutsch",
    "fr": "Français",
    "es": "Español",
    "pt": "Português",
    "it": "Italiano",
    "pl": "Polski",
    "ro": "Română",
    "bg": "Български",
    "uk": "Українська",
    "ru": "Русский",
    "hu": "Magyar",
    "lt": "Lietuvių",
    "lv": "Latviešu",
    "cs": "Čeština",
    "sk": "Slovenčina",
    "tr": "Türkçe",
    "ar": "العربية",
    "fa": "فارسی",
    "ti": "ትግርኛ",
    "so": "Soomaali",
    "am": "አማርኛ",
    "zh": "中文",
    "vi": "Tiếng Việt",
    "th": "ไทย",
    "tl": "Tagalog",
    "pap": "Papiamentu",
    "sr": "Srpski",
    "sq": "Shqip",
}
