package main

// table is the test table both test targets run: tag, then why it is there. The verdicts are not
// written here; they are x/text's, asked when the table is written.
var table = [][2]string{
	{"en", "ISO 639-1"}, {"de", "ISO 639-1"}, {"ja", "ISO 639-1"}, {"pt-BR", "language and region"},
	{"zh-CN", "language and region"}, {"zh-TW", "language and region"}, {"en-AU", "language and region"},
	{"en-US", "5 bytes: the longest the server takes"}, {"de-CH", "language and region"},
	{"es-MX", "language and region"}, {"EN", "case-insensitive"}, {"eN", "case-insensitive"},
	{"En-gB", "case-insensitive"}, {"PT-br", "case-insensitive"}, {"en_US", "'_' separates like '-'"},
	{"pt_br", "'_' and case"}, {"Zh_Cn", "'_' and case"}, {"en-us", "lower-case region"},
	{"iw", "deprecated Hebrew, still parsed"}, {"in", "deprecated Indonesian, still parsed"},
	{"ji", "deprecated Yiddish, still parsed"}, {"jw", "deprecated Javanese, still parsed"},
	{"mo", "deprecated Moldavian, still parsed"}, {"sh", "deprecated Serbo-Croatian, still parsed"},
	{"tl", "Tagalog"}, {"no", "Norwegian"}, {"IW", "deprecated, upper case"}, {"iw-IL", "deprecated with region"},
	{"in-ID", "deprecated with region"}, {"sh-RS", "deprecated with region"}, {"mo-MD", "deprecated with region"},
	{"he", "ISO 639-1"}, {"yi", "ISO 639-1"}, {"jv", "ISO 639-1"},
	{"xx", "unknown language"}, {"zz", "unknown language"}, {"qq", "unknown language"}, {"XX", "unknown, upper case"},
	{"xxx", "unknown three-letter language"}, {"zzz", "unknown three-letter language"}, {"abc", "unknown three-letter"},
	{"aaa", "three-letter language (Ghotuo)"}, {"yue", "three-letter language"}, {"fil", "three-letter language"},
	{"haw", "three-letter language"}, {"ast", "three-letter language"}, {"eng", "ISO 639-2 form of en"},
	{"deu", "ISO 639-2 form of de"}, {"ger", "ISO 639-2/B form of de"}, {"fre", "ISO 639-2/B form of fr"},
	{"chi", "ISO 639-2/B form of zh"}, {"heb", "ISO 639-2 form of he"}, {"und", "undetermined"},
	{"UND", "undetermined, upper case"}, {"mul", "multiple languages"}, {"zxx", "no linguistic content"},
	{"mis", "uncoded languages"}, {"qaa", "private-use language"}, {"qtz", "private-use language"},
	{"root", "CLDR root, a legacy tag"}, {"ROOT", "legacy tag, upper case"}, {"roo", "not a language"},
	{"roots", "5 letters: reserved"}, {"abcd", "4 letters: reserved"}, {"engl", "4 letters: reserved"},
	{"abcde", "5 letters: reserved"}, {"en-ab", "unknown region"}, {"en-AB", "unknown region"},
	{"xx-US", "unknown language, known region"}, {"zz-ZZ", "unknown language"}, {"en-ZZ", "unknown region code ZZ"},
	{"en-AA", "private-use region"}, {"en-QO", "outlying Oceania"}, {"en-XK", "Kosovo"}, {"en-EU", "European Union"},
	{"en-UN", "United Nations"}, {"en-UK", "exceptionally reserved"}, {"en-EZ", "eurozone"},
	{"en-FX", "deprecated region"}, {"en-YU", "deprecated region"}, {"en-ZR", "deprecated region"},
	{"en-CS", "deprecated region"}, {"en-DD", "deprecated region"}, {"en-BU", "deprecated region"},
	{"en-QU", "deprecated region"}, {"en-XA", "private-use region"}, {"en-OO", "unknown region"},
	{"en-JJ", "unknown region"}, {"iw-AB", "deprecated language, unknown region"}, {"en-00", "digits region of 2"},
	{"en-1", "one digit"}, {"en-12", "two digits"}, {"und-US", "6 bytes"}, {"es-419", "parses; 6 bytes: too long"},
	{"en-001", "parses; 6 bytes: too long"}, {"en-150", "parses; 6 bytes: too long"}, {"en-USA", "parses; 6 bytes"},
	{"en-GBR", "parses; 6 bytes"}, {"sr-Latn", "parses; 7 bytes"}, {"zh-Hans", "parses; 7 bytes"},
	{"zh-yue", "extended language; 6 bytes"}, {"yue-HK", "parses; 6 bytes"}, {"de-DE-1996", "variant; too long"},
	{"en-GB-oed", "legacy tag; too long"}, {"i-klingon", "legacy tag; too long"}, {"art-lojban", "legacy; too long"},
	{"zh-min", "legacy tag; 6 bytes"}, {"no-bok", "legacy tag; 6 bytes"}, {"en-US-POSIX", "too long"},
	{"english", "too long"}, {"x-abc", "private use"}, {"x-a", "private use"}, {"x-1", "private use"},
	{"X-AB", "private use, upper case"}, {"x_abc", "private use, '_'"}, {"x-a-b", "private use, two subtags"},
	{"x-", "empty private use"}, {"x", "singleton alone"}, {"x--a", "empty subtag"}, {"x-abcd", "6 bytes"},
	{"i-ami", "legacy tag"}, {"I-AMI", "legacy tag, upper case"}, {"i_ami", "legacy tag, '_'"},
	{"i-bnn", "legacy tag"}, {"i-hak", "legacy tag"}, {"i-lux", "legacy tag"}, {"i-pwn", "legacy tag"},
	{"i-tao", "legacy tag"}, {"i-tay", "legacy tag"}, {"i-tsu", "legacy tag"}, {"i-xyz", "not a legacy tag"},
	{"i", "singleton alone"}, {"en-x", "singleton at the end"}, {"en-u", "singleton at the end"},
	{"u-ab", "extension without a language"}, {"t-ab", "extension without a language"}, {"a-bcd", "bad singleton"},
	{"", "empty: the server keeps no locale"}, {" ", "space"}, {"en ", "trailing space"}, {" en", "leading space"},
	{"e", "one letter"}, {"e-n", "one-letter subtags"}, {"-en", "leading separator"}, {"en-", "trailing separator"},
	{"en--", "empty subtag"}, {"en--U", "empty subtag"}, {"en_", "trailing '_'"}, {"en.US", "dot"},
	{"en@", "at sign"}, {"C", "POSIX locale"}, {"POSIX", "POSIX locale"}, {"C.UTF8", "POSIX locale"},
	{"12", "digits"}, {"123", "digits"}, {"419", "digits"}, {"1en", "leading digit"},
	{"dé", "non-ASCII"}, {"ñ", "non-ASCII"}, {"en-É", "non-ASCII region"}, {"ｅｎ", "full-width letters"},
	{"еn", "Cyrillic e"}, {"en\u200b", "zero-width space"}, {"\u212aa", "Kelvin sign, folds to k elsewhere"},
	{"rooŴ", "x/text quirk: U+0174's low byte is 't', so this reads as root"},
	{"ROOŴ", "the same quirk, upper case"}, {"roo\u0374", "the same quirk: U+0374"},
	{"roo\u0574", "the same quirk: U+0574"}, {"roo\u0175", "low byte 'u': not root"}, {"rooŤ", "U+0164: low byte 'd'"},
	{"i-am\u0301", "combining mark; 6 bytes"},
}

func verdictRows(r registries) []row {
	rows := make([]row, len(table))
	for i, t := range table {
		rows[i] = row{tag: t[0], parses: parses(t[0]), server: serverAccepts(t[0]), note: t[1]}
	}
	return rows
}
