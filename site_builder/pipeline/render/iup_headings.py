"""The IUP page's headings in every language the app speaks.

In: the school unit's IUP template (export.toml). Out: each heading as {"sv": …, "<code>": …};
the IUP fragment writes them all and the app keeps the reader's (dom.js pickLanguage). A heading
the municipality left at its Swedish default gets the app's own translation of that default; a
heading of its own is shown in the languages it gave (else in Swedish, marked as Swedish).
"""

from __future__ import annotations

from site_builder.export.config import IUP_HEADINGS, IupTemplate

# The app's translations of the Swedish default headings (IupTemplate's defaults).
DEFAULTS: dict[str, dict[str, str]] = {
    "goals_heading": {
        "en": "Goals",
        "ar": "الأهداف",
        "fa": "اهداف",
        "so": "Yoolalka",
        "ti": "ዕላማታት",
        "fi": "Tavoitteet",
    },
    "plan_heading": {
        "en": "Forward planning",
        "ar": "التخطيط للمرحلة القادمة",
        "fa": "برنامه‌ریزی برای آینده",
        "so": "Qorshaha mustaqbalka",
        "ti": "ንቕድሚት ዝጥምት መደብ",
        "fi": "Suunnitelma eteenpäin",
    },
    "agreements_heading": {
        "en": "Agreements",
        "ar": "الاتفاقات",
        "fa": "توافق‌ها",
        "so": "Heshiisyada",
        "ti": "ስምምዓት",
        "fi": "Sopimukset",
    },
    "school_heading": {
        "en": "The school",
        "ar": "المدرسة",
        "fa": "مدرسه",
        "so": "Dugsiga",
        "ti": "ቤት ትምህርቲ",
        "fi": "Koulu",
    },
    "student_heading": {
        "en": "The student",
        "ar": "التلميذ",
        "fa": "دانش‌آموز",
        "so": "Ardayga",
        "ti": "ተምሃራይ",
        "fi": "Oppilas",
    },
    "home_heading": {
        "en": "Home",
        "ar": "المنزل",
        "fa": "خانه",
        "so": "Guriga",
        "ti": "ገዛ",
        "fi": "Koti",
    },
}


def iup_headings(template: IupTemplate) -> dict[str, dict[str, str]]:
    """Each heading per language: {"goals_heading": {"sv": "Mål", "en": "Goals", …}, …}."""
    default = IupTemplate(id="default")
    out: dict[str, dict[str, str]] = {}
    for name in IUP_HEADINGS:
        own = getattr(template, name)
        texts = own.as_dict()
        if own.sv == getattr(default, name).sv:
            texts = {"sv": own.sv, **DEFAULTS[name], **texts}
        out[name] = texts
    return out
