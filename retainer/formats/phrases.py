"""WhatsApp's fixed phrases, by language: what the reader matches to tell media, deleted, edited and system messages apart.

Every string here is written as it appears in an export AFTER the reader has stripped the
invisible marks (U+200E, U+200F, U+202A-U+202E, U+2066-U+2069, U+FEFF).  Whole-message phrases
(``MEDIA_OMITTED``, ``OMITTED``, ``DELETED``, ``CALL_NOTICES``, ``VIEW_ONCE``) carry no final
period: the reader strips one trailing ``.`` before looking them up.  The regular expressions
accept an optional final period themselves, so they work on the text either way.

Two export shapes exist (see shared/DESIGN.md section 2):

* Android: ``12/24/19, 11:23 - Author: text``; system notices have no author
  (``12/24/14, 17:08 - Ana created group "Trip"``).
* iOS: ``[3/14/24, 10:22:01 AM] Author: text``; system notices carry the group (or, in a
  one-to-one chat, the contact) name in the author slot, and in a group an add/remove notice
  may carry the added/removed member there.  Before the reader strips marks, iOS starts the
  text of its own notices (system lines, ``image omitted``, ``<attached: ...>``, call lines)
  with U+200E; that is the most reliable way to tell ``Port Ops: Ana left`` (a notice) from a
  member who typed "Ana left".  The generic membership patterns below (``X left``,
  ``X added Y``) cannot make that distinction on their own.
* WhatsApp Web/Desktop "export chat" (``[1/2/24, 1:02:03 PM] - Ana added Ben``) uses its own,
  English-only wordings; they are included and marked "Web".

Languages covered (not every table has every language; a phrase appears only where it was
seen in the sources below):

  English, German, Spanish, French, Portuguese (Brazil and Portugal), Italian, Dutch;
  for media placeholders, deleted notices and iOS omitted-media lines also Russian,
  Ukrainian, Czech and Arabic; for Android "<Media omitted>", "(file attached)" and the
  export file name also Afrikaans, Albanian, Azerbaijani, Bengali, Bulgarian, Catalan,
  Chinese, Croatian, Danish, Estonian, Finnish, Greek, Gujarati, Hebrew, Hindi, Hungarian,
  Indonesian, Japanese, Kannada, Kazakh, Korean, Lao, Latvian, Lithuanian, Macedonian, Malay,
  Malayalam, Marathi, Norwegian, Persian, Polish, Punjabi, Romanian, Serbian, Slovak,
  Slovenian, Swahili, Swedish, Tagalog, Tamil, Telugu, Thai, Turkish, Urdu, Uzbek, Vietnamese.

Where the strings were verified (public repositories, file names as stored there):

* mlomb/chat-analytics: pipeline/parse/parsers/WhatsApp.ts (Android "<media omitted>" in
  ~55 languages, iOS English/Spanish omitted lines, export file-name prefixes).
* dezi/ChatMatter: LanguageTags.java (Android "(file attached)" and the export/e-mail subject
  "WhatsApp Chat with NAME" in ~60 Android locales).
* skowalak/whatsapp-to-sqlite: whatsapp_to_sqlite/parser/parser_de_de.py and
  "tests/logs/WhatsApp Chat mit Die üblichen Verdächtigen.txt" (German Android notices).
* joweich/chat-miner: test/whatsapp/testlog.txt (English Android notices).
* WhatsApp Web's own bundle as mirrored in public repositories (modules
  WAWebExportChatPlainTextFormatter, WAWebExportChatSystemMsgFormatter and the ephemeral-
  message string module): English Web export wordings, disappearing-message texts,
  "Waiting for this message", admin deletions.
* Export samples and parser tests in further public repositories: Spanish (Mexico) iOS export
  rendered with JBGruber/rwhatsapp, Italian Android group parser (2017), Dutch
  Android/iPhone merger tests (2022), an English/French/Dutch exporter whose strings are
  marked "Translation confirmed", Brazilian-Portuguese R and Python analysers of real
  exports, a German iOS Rust reader, a Swift "ChatLoader" format note (WhatsApp 2.21-2.26),
  and a Dart table of iOS system lines in ten languages.

Left out for want of a trustworthy sample: French/Dutch join and leave wordings, German and
Dutch invite-link joins, non-English disappearing-message notices, "WhatsApp-Chat mit "
(the observed German name is "WhatsApp Chat mit "), "<Arquivo de mídia oculto>" (seen only
without its brackets), the Tagalog "<media omitted>" entry of chat-analytics (it is garbled).
"""
import re

# --------------------------------------------------------------------------------------------
# Building blocks for the patterns (private).
# --------------------------------------------------------------------------------------------

# Quotation marks around group names: Android writes "straight", iOS “curly”; German iOS uses
# „low-high“, French « guillemets » (with or without a no-break space), Web 'single'.
_QO = r"""["“”„«‘'][\s\u00a0\u202f]?"""
_QC = r"""[\s\u00a0\u202f]?["“”»’']"""
# Apostrophe in "this group's", straight (Android) or curly (iOS).
_AP = r"['’]"
# Optional final period: the reader may or may not have stripped it already.
_END = r"\.?$"
# Timer of a disappearing-messages notice ("7 days", "24 hours", "90 days", "1 day").
_TIMER = r"(?P<timer>\d+ (?:seconds?|minutes?|hours?|days?))"


def _absent(name: str) -> str:
    """A named group that never matches, so ``m.group(name)`` is ``None`` for this wording."""
    return f"(?P<{name}>(?!))?"


def _c(*patterns: str) -> tuple[re.Pattern[str], ...]:
    return tuple(re.compile(p) for p in patterns)


# --------------------------------------------------------------------------------------------
# Media
# --------------------------------------------------------------------------------------------

# Android: the whole message when the chat was exported "without media".  Exact strings as
# observed; the chat-analytics table (marked "ca:") lists a lower-cased and a capitalised
# variant per language, both kept as given.  Match case-insensitively with
# MEDIA_OMITTED_FOLDED when in doubt.
MEDIA_OMITTED: frozenset[str] = frozenset({
    # English (Android)
    "<Media omitted>",
    # German
    "<Medien ausgeschlossen>", "<Medien weggelassen>",
    # Spanish
    "<Multimedia omitido>", "<Archivo omitido>",
    # French
    "<Médias omis>", "<Fichier omis>",
    # Portuguese (Brazil; Portugal)
    "<Mídia oculta>", "<Mídia omitida>", "<ficheiro não revelado>",
    # Italian
    "<Media omessi>", "<Media omesso>",
    # Dutch
    "<Media weggelaten>",
    # Other Android languages, from chat-analytics' table (ca:)
    "<media weggelaat>",                                        # af
    "<تم استبعاد الوسائط>",                                     # ar
    "<media buraxıldı>", "<Media çıxarılmışdır>",               # az
    "<Без файл>",                                               # bg
    "<মিডিয়া বাদ দেওয়া হয়েছে>",                                 # bn
    "<fitxers multimèdia omesos>", "<Mitjans omesos>",          # ca
    "<média vynechány>", "< Média vynechána >",                 # cs
    "<medier udeladt>", "<Mediefil udeladt>",                   # da
    "<αρχείο παραλήφθηκε>", "<Εξαίρεση πολυμέσων>",             # el
    "<meedia välja jäetud>", "<Meedia ära jäetud>",             # et
    "<رسانه حذف شد>", "< پيوست نما/آهنگ حذف شد >",              # fa
    "<media jätettiin pois>", "<Media jätetty pois>",           # fi
    "<મિડિયા છોડી મૂકાયું>", "<મીડિયા અવગણવામાં આવ્યા>",          # gu
    "<मीडिया के बिना>",                                         # hi
    "<medijski zapis izostavljen>", "<Medijski zapis izostavljen>",  # hr
    "<média elhagyva>", "<Hiányzó médiafájl>",                  # hu
    "<media tidak disertakan>",                                 # id
    "<המדיה לא נכללה>", "<מדיה הושמטה>",                        # he
    "<メディアなし>", "<メディアは含まれていません>",             # ja
    "<файлдар қосылмаған>", "<Файл қосылған жоқ>",              # kk
    "<ಮಾಧ್ಯಮ ಕೈಬಿಡಲಾಗಿದೆ>",                                     # kn
    "<미디어 파일 제외됨>", "<미디어 파일을 생략한 대화내용>",      # ko
    "<ບໍ່ລວມມີເດຍ>",                                            # lo
    "<medija praleista>", "<Praleistas medijos turinys>",       # lt
    "<nav iekļauta multivide>", "<Bez multivides>",             # lv
    "<без фајлови>", "<Без фајл>",                              # mk
    "<മീഡിയ ഒഴിവാക്കി>",                                        # ml
    "<मीडिया वगळण्यात आला>", "<मीडिया वगळले>",                  # mr
    "<media dikecualikan>", "<Media disingkirkan>",             # ms
    "<media utelatt>", "<Uten vedlegg>",                        # nb
    "<ਮੀਡੀਆ ਛੱਡਿਆ>", "<ਮੀਡੀਆ ਛਡਿਆ ਗਿਆ>",                        # pa
    "<pominięto multimedia>", "<pliki pominięto>",              # pl
    "<conținut media omis>",                                    # ro
    "<без медиафайлов>", "<Файл пропущен>",                     # ru
    "<Médiá vynechané>",                                        # sk
    "<datoteke izpuščene>", "<Medij izpuščen>",                 # sl
    "<media u hoq>", "<Media hequr>",                           # sq
    "<медији су изостављени>",                                  # sr
    "<media utelämnat>", "<Media har utelämnats>",              # sv
    "<media hazijajumuishwa>", "<Media imerukwa>",              # sw
    "<கோப்புகள் விடப்பட்டன>", "< ஊடகங்கள் நீக்கப்பட்டது >",      # ta
    "<మీడియా విస్మరించబడింది>", "<మాధ్యమం విస్మరించబడింది>",    # te
    "<ไฟล์สื่อถูกลบ>", "<สื่อถูกลบ>",                            # th
    "<medya dahil edilmedi>", "<Medya atlanmış>",               # tr
    "<медіа пропущено>",                                        # uk
    "<میڈیا چھوڑ دیا گیا>", "<میڈیا ہٹا دیا گیا>",              # ur
    "<fayl o‘tkazib yuborildi>",                                # uz
    "<bỏ qua tệp phương tiện>", "<Bỏ qua Media>",               # vi
    "<忽略多媒體檔>", "<省略多媒体文件>",                        # zh (TW/HK; CN/SG)
    # WhatsApp Web/Desktop export (English only); Web appends a caption after a space, so a
    # captioned Web placeholder is "<image omitted> caption" and not a whole-message match.
    "<media omitted>", "<image omitted>", "<video omitted>", "<audio omitted>",
    "<voice message omitted>", "<video message omitted>", "<document omitted>",
    "<sticker omitted>", "<GIF omitted>", "<Contact card omitted>",
    "<Location omitted>", "<Live location omitted>",
})

# The same, case-folded, for a case-insensitive lookup (``text.casefold() in ...``).
MEDIA_OMITTED_FOLDED: frozenset[str] = frozenset(s.casefold() for s in MEDIA_OMITTED)

# Android: suffix after the file name on the first line of a message exported "with media",
# e.g. "IMG-20211120-WA0002.jpg (Datei angehängt)"; a caption follows on the next lines.
# The reader matches "NAME " + suffix.  Also written by WhatsApp Web ("NAME (file attached)").
FILE_ATTACHED: tuple[str, ...] = (
    "(file attached)",          # en
    "(Datei angehängt)",        # de
    "(archivo adjunto)",        # es (observed in exports)
    "(archivo adjuntado)",      # es (ChatMatter's Android table)
    "(fichier joint)",          # fr
    "(arquivo anexado)",        # pt-BR
    "(ficheiro anexado)",       # pt-PT
    "(file allegato)",          # it
    "(bestand bijgevoegd)",     # nl
    # Other Android locales, from ChatMatter's table
    "(lêer aangeheg)",          # af
    "(الملف مرفق)",             # ar
    "(fayl əlavə olunub)",      # az
    "(прикачен файл)",          # bg
    "(ফাইল সংযুক্ত হয়েছে)",      # bn
    "(arxiu adjunt)",           # ca
    "(soubor byl přiložen)",    # cs
    "(fil vedhæftet)",          # da
    "(συνημμένο αρχείο)",       # el
    "(fail lisatud)",           # et
    "(liitetiedosto)",          # fi
    "(ફાઇલ જોડાયેલ)",            # gu
    "(קובץ מצורף)",             # he
    "(फाइल अटैच कर दी गई है)",   # hi
    "(datoteka u privitku)",    # hr
    "(fájl csatolva)",          # hu
    "(file terlampir)",         # id
    "(添付ファイル有り)",        # ja
    "(қосымша файл)",           # kk
    "(ಕಡತ ಸೇರಿಸಲಾಯಿತು)",         # kn
    "(파일 첨부됨)",             # ko
    "(byla prisegta)",          # lt
    "(pievienots fails)",       # lv
    "(прикачен фајл)",          # mk
    "(ഫയൽ ചേർത്തു)",            # ml
    "(फाइल संलग्न)",             # mr
    "(fail dilampirkan)",       # ms
    "(vedlagt fil)",            # nb
    "(ਫਾਈਲ ਅਟੈਚ ਕੀਤੀ)",           # pa
    "(załączony plik)",         # pl
    "(fișier atașat)",          # ro
    "(файл добавлен)",          # ru
    "(súbor pripojený)",        # sk
    "(priložena datoteka)",     # sl
    "(skedë e ngjitur)",        # sq
    "(прикачена датотека)",     # sr
    "(bifogad fil)",            # sv
    "(faili limeambatanishwa)",  # sw
    "(ఫైల్ జోడించబడినది)",       # te
    "(ไฟล์ที่แนบ)",              # th
    "(nakalakip na file)",      # tl
    "(dosya ekli)",             # tr
    "(файл додано)",            # uk
    "(پیوستہ فائل)",            # ur
    "(fayl biriktirildi)",      # uz
    "(tệp đính kèm)",           # vi
    "(文件附件)",                # zh-CN/SG
    "(附件檔案)",                # zh-TW/HK
)

# iOS: "<attached: 00000012-PHOTO-2019-03-13-09-00-00.jpg>", prefix including the colon and
# the following space.  The tag ends the message; a caption or a document line
# ("Manifesto.pdf • 116 pagina's <bijgevoegd: 00000017-Manifesto.pdf>") may come before it,
# so search for the prefix rather than testing startswith.
ATTACHED_PREFIXES: tuple[str, ...] = (
    "<attached: ",              # en
    "<Anhang: ",                # de
    "<adjunto: ",               # es
    "<pièce jointe : ",         # fr (French puts a space before the colon)
    "<anexado: ",               # pt-BR
    "<allegato: ",              # it
    "<bijgevoegd: ",            # nl
)

# iOS: whole-message placeholders when the chat was exported "without media" (no file name).
OMITTED: frozenset[str] = frozenset({
    # English
    "image omitted", "video omitted", "audio omitted", "sticker omitted", "GIF omitted",
    "Contact card omitted", "video note omitted",
    # German
    "Bild weggelassen", "Video weggelassen", "Audio weggelassen", "Sticker weggelassen",
    "GIF weggelassen", "Kontaktkarte ausgelassen",
    # Spanish
    "imagen omitida", "video omitido", "Video omitido", "audio omitido", "sticker omitido",
    "GIF omitido", "Tarjeta de contacto omitida",
    # French
    "image absente", "vidéo absente", "audio omis", "sticker omis", "GIF retiré",
    "Fiche contact manquante",
    # Portuguese (Brazil)
    "imagem ocultada", "áudio ocultado", "vídeo omitido", "figurinha omitida",
    # Portuguese (Portugal)
    "imagem não revelada", "vídeo não revelado", "ficheiro de áudio não revelado",
    "sticker não revelado", "GIF não revelada", "Contacto não revelado",
    # Italian
    "immagine omessa", "video omesso", "audio omesso", "sticker non incluso", "GIF esclusa",
    "Scheda contatto omessa",
    # Russian
    "изображение отсутствует", "видео отсутствует", "аудио отсутствует",
    "стикер не добавлен", "GIF отсутствует", "карточка контакта отсутствует",
    # Ukrainian
    "зображення відсутнє", "відео відсутнє", "аудіо відсутнє", "Наклейку не додано",
    "GIF-анімацію пропущено", "Картка контакту відсутня",
    # Czech
    "obrázek vynechán", "video vynecháno", "nálepka vynechána", "GIF vynechán",
    "Vizitka vynechána",
    # Arabic
    "لم يتم إدراج الصورة", "لم يتم إدراج الفيديوهات", "لم يتم إدراج المقاطع الصوتية",
    "تم حذف الملصقات", "لم يتم إدراج صورة GIF", "لم يتم إدراج بطاقة جهة اتصال",
})

# iOS: a document exported "without media" reads "NAME • 3 pages document omitted"; the reader
# checks text.endswith(suffix).
DOCUMENT_OMITTED: tuple[str, ...] = (
    "document omitted",         # en
    "Dokument weggelassen",     # de
    "documento omitido",        # es, pt-BR
    "document manquant",        # fr
    "documento não revelado",   # pt-PT
    "documento omesso",         # it
    "документ отсутствует",     # ru
    "документ пропущено",       # uk
    "dokument vynechán",        # cs
    "لم يتم إدراج المستند",      # ar
)

# Android: a view-once photo/video/voice message exports as the literal text "null".
VIEW_ONCE: frozenset[str] = frozenset({"null"})

# --------------------------------------------------------------------------------------------
# Deleted and edited messages
# --------------------------------------------------------------------------------------------

# Deleted-message notices, whole message, no final period (both platforms; the sender of the
# deleted message is in the author slot).  "You ..." forms mean the exporter deleted it.
DELETED: frozenset[str] = frozenset({
    # English (Android, iOS, Web)
    "This message was deleted", "You deleted this message",
    "You deleted this message as admin", "This message was deleted by an admin",
    # German
    "Diese Nachricht wurde gelöscht", "Du hast diese Nachricht gelöscht",
    # Spanish
    "Se eliminó este mensaje", "Eliminaste este mensaje", "Este mensaje fue eliminado",
    # French
    "Ce message a été supprimé", "Vous avez supprimé ce message",
    # Portuguese (Brazil; Portugal)
    "Esta mensagem foi apagada", "Você apagou esta mensagem", "Apagou esta mensagem",
    # Italian
    "Questo messaggio è stato eliminato", "Hai eliminato questo messaggio",
    # Dutch
    "Dit bericht is verwijderd", "U hebt dit bericht verwijderd",
    # Russian
    "Данное сообщение удалено", "Вы удалили данное сообщение",
    # Ukrainian
    "Це повідомлення було видалено", "Ви видалили це повідомлення",
    # Czech
    "Tato zpráva byla smazána", "Tuto zprávu jste smazal/a",
    # Arabic
    "تم حذف هذه الرسالة",
})

# Deleted-message notices that carry a name (used with .match on the whole text): an admin
# deleted someone's message in a group.  Group: admin.
DELETED_PATTERNS: tuple[re.Pattern[str], ...] = _c(
    r"^This message was deleted by admin (?P<admin>.+?)" + _END,   # en (iOS, Web)
)

# Appended by WhatsApp to the text of an edited message, after a space:
# "see you at nine <This message was edited>".  iOS writes the period inside the brackets.
EDITED_MARKERS: tuple[str, ...] = (
    "<This message was edited>", "<This message was edited.>",            # en
    "<Diese Nachricht wurde bearbeitet>", "<Diese Nachricht wurde bearbeitet.>",  # de
    "<Se editó este mensaje.>",                                            # es
    "<Ce message a été modifié>",                                          # fr
    "<Mensagem editada>",                                                  # pt-BR
)

# --------------------------------------------------------------------------------------------
# Texts the app writes for a person's message
# --------------------------------------------------------------------------------------------

# The app writes these in place of what the sender sent, with the sender in the author slot and
# (on iOS) the U+200E mark of its own texts.  They are the sender's messages, never notices:
# reading them as notices would drop the author and silently exempt a custodian's message
# from 44 U.S.C. § 2911.  Used with .startswith on the whole text.
SENDER_TEXT_PREFIXES: tuple[str, ...] = (
    "POLL:\n",                                    # en (iOS): "POLL:\nQuestion\nOPTION: …"
    "Waiting for this message",                   # en: not yet decrypted ("…", ". This may…")
)

# A view-once photo, video or voice message, as iOS and Web export it (Android writes "null",
# see VIEW_ONCE).  Used with .startswith; a media placeholder with the sender as author.
VIEW_ONCE_PREFIXES: tuple[str, ...] = (
    "You received a view once message",           # en
)

# A live location, shared for a while: a media placeholder with the sender as author.
LIVE_LOCATION: frozenset[str] = frozenset({
    "Live location shared",                        # en (iOS)
})

# --------------------------------------------------------------------------------------------
# Locations and calls
# --------------------------------------------------------------------------------------------

# A shared location: prefix followed by a maps URL ("location: https://maps.google.com/?q=..."
# on Android, "Location: https://maps.google.com/?q=..." on iOS, which may put an extra space
# before it).  Web writes "Location: LAT, LNG - https://maps.google.com/?q=LAT,LNG" and
# "Live location: ..." for a live location.
LOCATION_PREFIXES: tuple[str, ...] = (
    "location: ", "Location: ", "Live location: ",   # en (Android, iOS, Web)
    "Standort: ",                                    # de
    "Ubicación: ",                                   # es
)

# Call notices, whole message, no final period, with the caller in the author slot (iOS; newer
# Android exports).  Calls with a duration are matched by CALL_PATTERNS.  Every call notice
# starts with one of CALL_PREFIXES (the reader looks no further at other texts).
CALL_NOTICES: frozenset[str] = frozenset({
    # English
    "Missed voice call", "Missed video call", "Voice call", "Video call",
    "Missed group voice call",
    "Missed voice call, Tap to call back", "Missed video call, Tap to call back",
    "Missed voice call, Click to call back", "Missed video call, Click to call back",
    "Missed voice call. Tap to call back", "Missed video call. Tap to call back",
    "Missed voice call. Click to call back", "Missed video call. Click to call back",
    "Voice call, No answer", "Video call, No answer",
    "Voice call, Answered on other device", "Video call, Answered on other device",
    "Silenced voice call", "Silenced video call",
    "Missed group video call", "Missed group voice call, Tap to join",
    # German
    "Verpasster Sprachanruf", "Verpasster Videoanruf", "Sprachanruf", "Videoanruf",
    "Verpasster Sprachanruf. Zum Zurückrufen tippen",
    # Spanish
    "Llamada perdida", "Llamada de voz perdida", "Videollamada perdida",
    # French
    "Appel vocal manqué", "Appel vidéo manqué",
    # Portuguese (Brazil)
    "Chamada de voz perdida", "Chamada de vídeo perdida",
    # Czech
    "Zmeškaný hovor",
})

# Call notices a person may as well type as a whole message (the answer to "voice or video?").
# Where iOS marks its notices with U+200E they are calls when marked; elsewhere (Android, old
# unmarked iOS exports) the words alone cannot tell, and the message keeps its kind "text":
# a person's message read as a notice would silently become exempt from 44 U.S.C. § 2911.
BARE_CALL_NOTICES: frozenset[str] = frozenset({
    "Voice call", "Video call", "Sprachanruf", "Videoanruf", "Llamada perdida",
})

# A call's length as the app writes it: "12 sec", "5 min", "1 hr 23 min", or a clock "1:05",
# "12:30", "1:02:03"; nothing else may follow (a typed "Video call, 10:30 tomorrow" is text).
_CALL_LENGTH = r"(?:\d+ (?:sec|min|hr)s?(?: \d+ (?:sec|min|hr)s?)*|\d+(?::\d\d){1,2})"
_CALL_LENGTH_DE = r"(?:\d+ (?:Sek|Min|Std)\.?(?: \d+ (?:Sek|Min|Std)\.?)*|\d+(?::\d\d){1,2})"
_CALL_LENGTH_PT = r"(?:\d+ (?:s|seg|min|h)(?: \d+ (?:s|seg|min|h))*|\d+(?::\d\d){1,2})"

# Call notices with a variable part (duration, participants), used with .match.  Each is
# anchored at both ends and its variable part is tight, as ordinary sentences start like them.
CALL_PATTERNS: tuple[re.Pattern[str], ...] = _c(
    rf"^(?:Voice|Video) call, {_CALL_LENGTH}" + _END,     # en: "Voice call, 5 min", "Video call, 12:30"
    r"^(?:Voice|Video) call, \d+ joined(?: • Tap to [Jj]oin)?" + _END,
    #                                               en: group call "Voice call, 3 joined • Tap to Join"
    rf"^Missed call, (?:{_CALL_LENGTH} • )?\d+ joined" + _END,  # en: "Missed call, 2 min • 3 joined"
    rf"^(?:Sprachanruf|Videoanruf)\. (?:{_CALL_LENGTH_DE}|Keine Antwort)" + _END,
    #                                               de: "Sprachanruf. 2 Min.", "Sprachanruf. Keine Antwort"
    rf"^Chamada de (?:voz|vídeo), {_CALL_LENGTH_PT}" + _END,  # pt-BR: "Chamada de vídeo, 3 min 42 s"
    r"^\[Call(?:: .+)?\]$",                          # Web: "[Call]", "[Call: ...]"
)

# A text the app marked as its own (iOS, U+200E) is a call notice on looser evidence: the
# mark already says it is no person's, so any length or status the app writes after the
# call's kind will do ("Voice call, 1 minute", "Sprachanruf. Nicht angenommen").
MARKED_CALL_PATTERNS: tuple[re.Pattern[str], ...] = _c(
    r"^(?:Voice|Video) call, \S",
    r"^(?:Sprachanruf|Videoanruf)\. \S",
    r"^Chamada de (?:voz|vídeo), \S",
)

# How every call notice starts: those of CALL_NOTICES, and the fixed start of each of
# CALL_PATTERNS (tests check that both are covered).
CALL_PREFIXES: tuple[str, ...] = tuple(sorted(CALL_NOTICES)) + (
    "Voice call, ", "Video call, ", "Missed call, ", "Sprachanruf. ", "Videoanruf. ",
    "Chamada de voz, ", "Chamada de vídeo, ", "[Call",
)

# --------------------------------------------------------------------------------------------
# Export file names
# --------------------------------------------------------------------------------------------

# Text before the chat title in the export's file name: the .txt (Android, and the .txt inside
# an Android zip), the .zip ("WhatsApp Chat - NAME.zip" on iOS, whose zip holds _chat.txt).
# Android names the file after its e-mail subject, so the prefix follows the phone's language.
# Each prefix also appears with underscores for spaces (some share targets rename the file).
_CHAT_FILE_PREFIXES_AS_WRITTEN: tuple[str, ...] = (
    "WhatsApp Chat with ",              # en (Android)
    "WhatsApp Chat - ",                 # en (iOS zip; iOS keeps this in other languages too)
    "WhatsApp Chat mit ",               # de
    "Chat de WhatsApp con ",            # es
    "Discussion WhatsApp avec ",        # fr
    "Conversa do WhatsApp com ",        # pt-BR
    "Conversa no WhatsApp com ",        # pt-PT
    "Chat WhatsApp con ",               # it
    "WhatsApp-chat met ",               # nl
    "WhatsApp Gesprek met ",            # af
    "دردشة واتساب مع ",                 # ar
    "WhatsApp Чат с ",                  # bg
    "Xat de WhatsApp amb ",             # ca
    "Chat WhatsApp s uživatelem ",      # cs
    "WhatsApp chat med ",               # da
    "Συνομιλία WhatsApp με ",           # el
    "WhatsApp'i vestlus kontaktiga ",   # et
    "گفتگوی WhatsApp با ",              # fa
    "צ'אט WhatsApp עם ",                # he
    "WhatsApp razgovor s ",             # hr
    "WhatsApp csevegés vele: ",         # hu
    "Chat WhatsApp dengan ",            # id
    "WhatsApp чат: ",                   # kk
    "WhatsApp pokalbis su ",            # lt
    "WhatsApp sarakste ar ",            # lv
    "WhatsApp разговор со ",            # mk
    "Sembang WhatsApp dengan ",         # ms
    "WhatsApp-samtale med ",            # nb
    "Czat WhatsApp z ",                 # pl
    "Conversație WhatsApp cu ",         # ro
    "Чат WhatsApp с ",                  # ru
    "WhatsApp chat s používateľom ",    # sk
    "WhatsApp klepet z ",               # sl
    "WhatsApp Ћаскање са ",             # sr
    "WhatsApp-chatt med ",              # sv
    "Soga za WhatsApp na ",             # sw
    "แชท WhatsApp กับ ",                 # th
    "WhatsApp Chat kay ",               # tl
    "Бесіда WhatsApp з ",               # uk
    "Trò chuyện WhatsApp với ",         # vi
)
CHAT_FILE_PREFIXES: tuple[str, ...] = _CHAT_FILE_PREFIXES_AS_WRITTEN + tuple(
    p.replace(" ", "_") for p in _CHAT_FILE_PREFIXES_AS_WRITTEN if " " in p
)

# Languages that put the chat title before or inside the fixed words (Android e-mail subject,
# hence the .txt name).  Used with .match on the file name without its extension; group: title.
CHAT_FILE_PATTERNS: tuple[re.Pattern[str], ...] = _c(
    r"^(?P<title>.+) ilə WhatsApp Söhbəti$",                 # az
    r"^(?P<title>.+) এর সাথে WhatsApp চ্যাট$",              # bn
    r"^WhatsApp-keskustelu henkilön (?P<title>.+) kanssa$",  # fi
    r"^(?P<title>.+) સાથેની WhatsApp વાત$",                  # gu
    r"^(?P<title>.+) के साथ WhatsApp चैट$",                  # hi
    r"^(?P<title>.+)とのWhatsAppチャット$",                   # ja
    r"^(?P<title>.+) ಜೊತೆ WhatsApp ಸಂಭಾಷಣೆ$",                 # kn
    r"^(?P<title>.+)님과의 WhatsApp 대화$",                   # ko
    r"^(?P<title>.+) മായുള്ള WhatsApp ചാറ്റുകൾ$",            # ml
    r"^(?P<title>.+) सोबतच्या WhatsApp गप्पा$",              # mr
    r"^(?P<title>.+) ਨਾਲ WhatsApp ਗੱਲਬਾਤ$",                  # pa
    r"^Biseda me (?P<title>.+) në WhatsApp$",                # sq
    r"^(?P<title>.+) உடன் WhatsApp உரையாடல்$",               # ta
    r"^(?P<title>.+) తో WhatsApp సంభాషణ$",                   # te
    r"^(?P<title>.+) ile WhatsApp Sohbeti$",                 # tr
    r"^(?P<title>.+) کے ساتھ WhatsApp بات چیت$",             # ur
    r"^(?P<title>.+) bilan WhatsApp chati$",                 # uz
    r"^WhatsApp 与 (?P<title>.+) 的对话$",                    # zh-CN/SG
    r"^WhatsApp 與 (?P<title>.+) 的對話$",                    # zh-TW/HK
)

# --------------------------------------------------------------------------------------------
# Structured membership and disappearing-message notices.
#
# Each is used with .match() on the whole message text.  The exporter appears as a word, not a
# name: "You added Bob" (actor "You"), "Ana hat dich hinzugefügt" (members "dich"), "Ana te
# añadió" (members "te"), "U hebt Bob toegevoegd" (actor "U"); see EXPORTER_WORDS.  A group
# that a wording does not state (e.g. who added "Bob was added") is None.  Lists of names stay
# whole in "members"; split them with split_members().  Names may hold spaces, digits, emoji,
# "~ " (iOS, for people not in the contacts) and phone numbers like "+1 (619) 555-0142".
# --------------------------------------------------------------------------------------------

# Words that stand for the exporter in these notices.
EXPORTER_WORDS: frozenset[str] = frozenset({
    "You", "you",        # en
    "Du", "dich",        # de
    "te",                # es
    "U",                 # nl
})

# Somebody was added to the group.  Groups: actor, members.
ADDED: tuple[re.Pattern[str], ...] = _c(
    # English (Android, iOS, Web): "Ana added Ben", "You added Ben and Cy", "Ana added you"
    r"^" + _absent("actor") + r"(?P<members>You) were added" + _END,
    r"^" + _absent("actor") + r"(?P<members>.+?) (?:was|were) added" + _END,
    r"^(?P<actor>.+?) added (?P<members>.+?)" + _END,
    # German (Android): "Ana hat Ben hinzugefügt.", "Ana hat dich hinzugefügt.",
    # "Du hast Ben hinzugefügt.", "Ben wurde hinzugefügt."
    r"^(?P<actor>Du) hast (?P<members>.+) hinzugefügt" + _END,
    r"^" + _absent("actor") + r"(?P<members>.+) wurde hinzugefügt" + _END,
    r"^(?P<actor>.+?) hat (?P<members>.+) hinzugefügt" + _END,
    # Spanish (iOS, Android): "Ana añadió a Ben", "Ana te añadió"
    r"^(?P<actor>.+?) (?P<members>te) añadió" + _END,
    r"^(?P<actor>.+?) añadió a (?P<members>.+?)" + _END,
    # French: "Ana a ajouté Ben"
    r"^(?P<actor>.+?) a ajouté (?P<members>.+?)" + _END,
    # Portuguese (Brazil): "Ana adicionou Ben"
    r"^(?P<actor>.+?) adicionou (?P<members>.+?)" + _END,
    # Italian (Android): "Ana ha aggiunto Ben", "Ben è stato aggiunto"
    r"^" + _absent("actor") + r"(?P<members>.+) è stato aggiunto" + _END,
    r"^(?P<actor>.+?) ha aggiunto (?P<members>.+?)" + _END,
    # Dutch: "Ana heeft Ben toegevoegd", "U hebt Ben toegevoegd"
    r"^(?P<actor>U) hebt (?P<members>.+) toegevoegd" + _END,
    r"^(?P<actor>.+?) heeft (?P<members>.+) toegevoegd" + _END,
)

# Somebody joined by themselves (invite link, community).  Group: member.
JOINED: tuple[re.Pattern[str], ...] = _c(
    # English (Android, iOS)
    r"^(?P<member>.+) joined using this group" + _AP + r"s invite link" + _END,
    r"^(?P<member>.+) joined from the community" + _END,
    # English (Web): "Ana and Ben joined via invite link"
    r"^(?P<member>.+) joined via invite link" + _END,
    # Spanish: "Ana se unió usando el enlace de invitación de este grupo", "Te uniste desde la comunidad"
    r"^(?P<member>.+) se unió usando el enlace de invitación de este grupo" + _END,
    r"^(?P<member>Te) uniste desde la comunidad" + _END,
    # Portuguese (Brazil): "Ana entrou usando o link de convite deste grupo",
    # "Ana entrou neste grupo através da comunidade"
    r"^(?P<member>.+) entrou usando o link de convite deste grupo" + _END,
    r"^(?P<member>.+) entrou neste grupo através da comunidade" + _END,
    # Italian (Android): "Ana è entrato usando il link d'invito al gruppo"
    r"^(?P<member>.+) è entrat[oa] usando il link d" + _AP + r"invito al gruppo" + _END,
)

# Somebody left.  Group: member.
LEFT: tuple[re.Pattern[str], ...] = _c(
    # English (Android, iOS, Web): "Ana left", "You left"
    r"^(?P<member>.+) left" + _END,
    # German (Android): "Ana hat die Gruppe verlassen.", "Du hast die Gruppe verlassen."
    r"^(?P<member>Du) hast die Gruppe verlassen" + _END,
    r"^(?P<member>.+) hat die Gruppe verlassen" + _END,
    # Spanish: "Ana salió del grupo"
    r"^(?P<member>.+) salió del grupo" + _END,
    # Portuguese (Brazil): "Ana saiu"
    r"^(?P<member>.+) saiu" + _END,
    # Italian (Android): "Ana ha abbandonato"
    r"^(?P<member>.+) ha abbandonato" + _END,
)

# Somebody was removed.  Groups: actor, member (may be a list, see split_members).
REMOVED: tuple[re.Pattern[str], ...] = _c(
    # English (Android, iOS, Web): "Ana removed Ben", "Ana removed you", "You removed Ben",
    # "Ben was removed".  Web's "Ana removed Ben as admin" is a demotion, not a removal.
    r"^" + _absent("actor") + r"(?P<member>.+?) (?:was|were) removed" + _END,
    r"^(?P<actor>.+?) removed (?P<member>(?:(?! as admin\.?$).)+?)" + _END,
    # German (Android): "Ana hat Ben entfernt.", "Ana hat dich entfernt.", "Du hast Ben entfernt.",
    # "Ben wurde entfernt."
    r"^(?P<actor>Du) hast (?P<member>.+) entfernt" + _END,
    r"^" + _absent("actor") + r"(?P<member>.+) wurde entfernt" + _END,
    r"^(?P<actor>.+?) hat (?P<member>.+) entfernt" + _END,
    # Spanish: "Ana eliminó a Ben", "Ana te eliminó"
    r"^(?P<actor>.+?) (?P<member>te) eliminó" + _END,
    r"^(?P<actor>.+?) eliminó a (?P<member>.+?)" + _END,
    # Portuguese (Brazil): "Ana removeu Ben"
    r"^(?P<actor>.+?) removeu (?P<member>.+?)" + _END,
    # Italian (Android): "Ana ha rimosso Ben"
    r"^(?P<actor>.+?) ha rimosso (?P<member>.+?)" + _END,
)

# Disappearing messages turned on (or the timer changed, which keeps them on).
# Groups: actor (None when the notice names nobody), timer ("7 days", "24 hours", "90 days").
# English only: WhatsApp's mobile apps end with "Tap to change.", WhatsApp Web with "Click to change.".
DISAPPEARING_ON: tuple[re.Pattern[str], ...] = _c(
    # "Ana turned on disappearing messages. New messages will disappear from this chat 7 days
    #  after they're sent, except when kept. Tap to change."
    r"^(?P<actor>.+?) turned on disappearing messages\. New messages will disappear from this chat "
    + _TIMER + r" after they" + _AP + r"re sent(?:, except when kept)?(?:\. (?:Tap|Click) to change)?" + _END,
    # Older wording: "... New messages will disappear from this chat after 7 days. Tap to change."
    r"^(?P<actor>.+?) turned on disappearing messages\. New messages will disappear from this chat after "
    + _TIMER + r"(?:\. (?:Tap|Click) to change)?" + _END,
    # "Disappearing messages were turned on. New messages will disappear ..." (nobody named)
    r"^" + _absent("actor") + r"Disappearing messages were turned on\. New messages will disappear from this chat "
    + _TIMER + r" after they" + _AP + r"re sent, except when kept(?:\. (?:Tap|Click) to change)?" + _END,
    # "Ana uses a default timer for disappearing messages in new chats. New messages will
    #  disappear from this chat 90 days after they're sent, except when kept. Tap to ..."
    r"^(?P<actor>.+?) uses? a default timer for disappearing messages in new chats\. "
    r"New messages will disappear from this chat " + _TIMER + r" after they" + _AP
    + r"re sent, except when kept(?:\. .*?)?" + _END,
    # "Ana changed/updated the message timer. New messages will disappear ..."
    r"^(?P<actor>.+?) (?:changed|updated) the message timer\. New messages will disappear from this chat "
    + _TIMER + r" after they" + _AP + r"re sent, except when kept(?:\. (?:Tap|Click) to change)?" + _END,
    # "The message timer was updated. New messages will disappear ..." (nobody named)
    r"^" + _absent("actor") + r"The message timer was updated\. New messages will disappear from this chat "
    + _TIMER + r" after they" + _AP + r"re sent, except when kept(?:\. (?:Tap|Click) to change)?" + _END,
    # Web: "Ana turned on disappearing messages (7 days)"
    r"^(?P<actor>.+?) turned on disappearing messages \(" + _TIMER + r"\)" + _END,
)

# Disappearing messages turned off.  Group: actor (None when the notice names nobody).
DISAPPEARING_OFF: tuple[re.Pattern[str], ...] = _c(
    # "Ana turned off disappearing messages. Tap to change." / Web without the tail
    r"^(?P<actor>.+?) turned off disappearing messages(?:\. (?:Tap|Click) to change)?" + _END,
    # "Disappearing messages were turned off."
    r"^" + _absent("actor") + r"Disappearing messages were turned off(?:\. (?:Tap|Click) to change)?" + _END,
)

# --------------------------------------------------------------------------------------------
# System notices
# --------------------------------------------------------------------------------------------

# Everything else WhatsApp writes by itself.  Used with .match() on the whole message text
# (patterns are anchored at the start; those ending in "$" must cover the whole text).
_OTHER_SYSTEM_NOTICES: tuple[re.Pattern[str], ...] = _c(
    # ---- end-to-end encryption notice (first line of most exports) ----
    r"^Messages and calls are end-to-end encrypted\.",                              # en (all)
    r"^Messages you send to this (?:chat|group)(?: and calls)? are (?:now )?secured with end-to-end encryption",  # en (older)
    r"^Nachrichten und Anrufe sind Ende-zu-Ende-verschlüsselt\.",                   # de
    r"^Nachrichten, die du in diesem Chat sendest, sowie Anrufe, sind jetzt mit Ende-zu-Ende-Verschlüsselung geschützt",  # de (older)
    r"^Nachrichten an diese Gruppe sind jetzt mit Ende-zu-Ende-Verschlüsselung geschützt",  # de (older)
    r"^Nachrichten in diesem Chat sowie Anrufe sind jetzt mit Ende-zu-Ende-Verschlüsselung geschützt",  # de (older)
    r"^Los mensajes y las llamadas están cifrados de extremo a extremo\.",          # es
    r"^Los mensajes en este grupo ahora están protegidos con cifrado de extremo a extremo",  # es (older, iOS)
    r"^Les messages et les appels sont chiffrés de bout en bout\.",                 # fr
    r"^As mensagens e (?:as )?(?:chamadas|ligações) são protegidas com a criptografia de ponta a ponta",  # pt-BR
    r"^As mensagens e chamadas são encriptadas ponto a ponto\.",                    # pt-PT
    r"^I messaggi e le chiamate sono crittografati end-to-end\.",                   # it
    r"^I messaggi inviati a questo gruppo sono ora protetti con la crittografia end-to-end",  # it (older)
    r"^Сообщения и звонки защищены сквозным шифрованием\.",                         # ru
    r"^Повідомлення й дзвінки захищено наскрізним шифруванням\.",                   # uk
    r"^Zprávy a hovory jsou opatřeny koncovým šifrováním\.",                        # cs
    r"^الرسائل والمكالمات مشفرة تمامًا بين الطرفين",                                # ar

    # ---- English (Android, iOS) ----
    r"^.+? created group " + _QO + r".*" + _QC + _END,             # Ana created group "Trip"
    r"^.+ created this group" + _END,
    r"^.+ changed the subject (?:from " + _QO + r".*?" + _QC + r" )?to " + _QO + r".*" + _QC + _END,
    r"^.+ changed the group name to " + _QO + r".*" + _QC + _END,
    r"^.+ changed this group" + _AP + r"s icon" + _END,
    r"^.+ deleted this group" + _AP + r"s icon" + _END,
    r"^.+ changed the group description" + _END,
    r"^.+ changed this group" + _AP + r"s settings to .+$",
    r"^.+ changed the settings so .+$",
    r"^.+ turned on admin approval to join this group" + _END,
    r"^New members need admin approval to join this group" + _END,
    r"^This group has over \d+ members so now only admins can edit the group settings" + _END,
    r"^.+ pinned a message" + _END,
    r"^.+ started a call" + _END,
    r"^You" + _AP + r"re now an admin" + _END,
    r"^.+ now an admin" + _END,
    r"^.+ no longer an admin" + _END,
    r"^Your security code with .+ changed\.",
    r"^.+" + _AP + r"s security code changed\.",
    r"^Security code changed\.",
    r"^.+ changed their phone number to a new number\.",
    r"^.+ changed to \+[\d\s()\-]+" + _END,                        # Ana changed to +1 619 555 0142
    r"^You" + _AP + r"re currently chatting with their new number\.",
    r"^This chat is with (?:a|an official) business account\.?",
    r"^This business account has now registered as a standard account",
    r"^You (?:blocked|unblocked) this contact" + _END,

    # ---- English (WhatsApp Web/Desktop export) ----
    r"^.+ created the group" + _END,
    r"^.+ changed the group icon" + _END,
    r"^.+ cleared the group description" + _END,
    r"^.+ made .+ an admin" + _END,
    r"^.+ removed .+ as admin" + _END,
    r"^.+ changed settings: only admins can (?:send messages|edit group info)" + _END,
    r"^Some earlier messages may not be available" + _END,
    r"^\[System notification\]$",

    # ---- German (Android) ----
    r"^(?:Du hast|.+? hat) die Gruppe " + _QO + r".*" + _QC + r" erstellt" + _END,
    r"^(?:Du hast|.+? hat) den Betreff (?:von " + _QO + r".*?" + _QC + r" )?zu " + _QO + r".*" + _QC + r" geändert" + _END,
    r"^(?:Du hast|.+ hat) die Gruppenbeschreibung geändert" + _END,
    r"^(?:Du hast|.+ hat) das Gruppenbild (?:geändert|gelöscht)" + _END,
    r"^Du bist jetzt ein Admin" + _END,
    r"^.+ hat zu .+ gewechselt" + _END,
    r"^.+ hat eine neue Telefonnummer\.",
    r"^.+ hat (?:ihre|seine) Nummer gewechselt" + _END,
    r"^.*Sicherheitsnummer (?:von|für) .+ hat sich geändert",

    # ---- Spanish ----
    r"^.+? creó el grupo " + _QO + r".*" + _QC + _END,
    r"^.+ creó este grupo" + _END,
    r"^Creaste (?:este grupo|el grupo " + _QO + r".*" + _QC + r")" + _END,
    r"^.+ cambió el asunto",
    r"^.+ cambió la foto del grupo" + _END,
    r"^.+ cambió tu código de seguridad",
    r"^Ahora eres admin\. del grupo" + _END,
    r"^(?:Bloqueaste|Desbloqueaste) a este contacto" + _END,

    # ---- French ----
    r"^.+? a créé le groupe " + _QO + r".*" + _QC + _END,

    # ---- Portuguese (Brazil) ----
    r"^.+? criou o grupo " + _QO + r".*" + _QC + _END,
    r"^Você criou este grupo" + _END,
    r"^.+ criou este grupo" + _END,
    r"^.+ mudou o nome para ",
    r"^.+ mudou a descrição do grupo" + _END,
    r"^.+ mudou o ícone deste grupo" + _END,
    r"^Seu código de segurança com ",

    # ---- Italian (Android) ----
    r"^.+? ha creato il gruppo " + _QO + r".*" + _QC + _END,
    r"^.+ ha cambiato l" + _AP + r"oggetto da ",
    r"^.+ ha cambiato l" + _AP + r"immagine del gruppo" + _END,
    r"^.+ ha cambiato numero" + _END,
    r"^Il codice (?:di )?sicurezza di ",
    r"^Hai revocato il link" + _END,
    r"^Ora sei un amministratore" + _END,
)

# All system notices, each used with .match() on the whole message text: the encryption
# notice, group creation/renaming/settings, admins, security-code and number changes, business
# and "waiting for this message" notices, plus every membership and disappearing-message
# wording above.  A match means "system" (author null), whoever stands in the author slot.
SYSTEM_NOTICES: tuple[re.Pattern[str], ...] = (
    _OTHER_SYSTEM_NOTICES + ADDED + JOINED + LEFT + REMOVED + DISAPPEARING_ON + DISAPPEARING_OFF
)

# The notices that quote a group name (``X created group "A"``), which may hold ": ": on
# Android, where notices have no author slot, only these can look like "author: text".
QUOTED_NAME_NOTICES: tuple[re.Pattern[str], ...] = tuple(
    p for p in _OTHER_SYSTEM_NOTICES if _QO in p.pattern)

# --------------------------------------------------------------------------------------------
# Lists of names
# --------------------------------------------------------------------------------------------

# Words that join the last two names of a list: en, de, es, pt/it, fr, nl.
LIST_CONJUNCTIONS: tuple[str, ...] = ("and", "und", "y", "e", "et", "en")


def split_members(text: str, *, conjunctions: tuple[str, ...] = LIST_CONJUNCTIONS) -> list[str]:
    """Split "A, B and C" / "A, B y C" / "A, B und C" / "A und B" into names.

    Names are separated by ", "; the last two may instead be joined by a conjunction, with or
    without a comma before it ("A, B, and C", as WhatsApp Web writes).  Only the last piece
    is split on a conjunction, at its last occurrence, so "Ana, Ben and Cy" gives
    ["Ana", "Ben", "Cy"].  A single name containing ", " or a conjunction word ("Mum and Dad")
    cannot be told from a list; pass a narrower ``conjunctions`` when the language is known.
    """
    text = text.strip()
    if not text:
        return []
    pieces = [p.strip() for p in text.split(", ")]
    last = pieces.pop()
    for conj in conjunctions:
        if pieces and last.startswith(conj + " "):
            # Oxford comma: "A, B, and C"
            pieces.append(last[len(conj) + 1:].strip())
            break
    else:
        best = -1
        best_len = 0
        for conj in conjunctions:
            sep = f" {conj} "
            i = last.rfind(sep)
            if i > best:
                best, best_len = i, len(sep)
        if best > 0:
            pieces.append(last[:best].strip())
            pieces.append(last[best + best_len:].strip())
        else:
            pieces.append(last)
    return [p for p in pieces if p]
