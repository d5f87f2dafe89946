/// Locales the server has translations for; others are replaced by the default on create.
public enum ServerLocales {
  public static let supported: Set<String> = [
    "bg", "de", "en", "en-AU", "es", "fa", "fr", "hu", "it", "ja", "ko", "nl", "pl", "pt-BR", "ro", "ru",
    "sv", "tr", "uk", "vi", "zh-CN", "zh-TW",
  ]
}
