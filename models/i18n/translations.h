#pragma once

class QLocale;

namespace Tribune {

// Installs, for the application's lifetime, the catalogues of the locale's language: Qt's own
// (qtbase, from qt6-translations-l10n) and Tribune's, which each program carries under :/i18n.
// Returns false when Tribune has none for that language (English, or a language it lacks).
bool installTranslations(const QLocale &locale);

} // namespace Tribune
