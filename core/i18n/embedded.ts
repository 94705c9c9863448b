// Made by `confctl compilemessages` in a source checkout from locale/confctl.pot and
// locale/*/LC_MESSAGES/confctl.po: edit those and run it again, never this file.
import type { EmbeddedCatalogue } from './bundle.ts';
import type { Message } from './messages.ts';

export const MESSAGES: readonly Message[] = [
  {
    "id": "Skip to content"
  },
  {
    "id": "Schedule"
  },
  {
    "id": "Talks"
  },
  {
    "id": "Speakers"
  },
  {
    "id": "Featured"
  },
  {
    "id": "Changelog"
  },
  {
    "id": "Feeds"
  },
  {
    "id": "Made with confctl"
  },
  {
    "id": "Language"
  },
  {
    "id": "%(day)s, %(start)s–%(end)s",
    "comments": [
      "Translators: when a talk takes place: its day (written as the language writes dates) and its start and end times."
    ],
    "flags": [
      "python-format"
    ]
  },
  {
    "id": "Room (%(count)s)",
    "plural": "Rooms (%(count)s)",
    "flags": [
      "python-format"
    ]
  },
  {
    "id": "Days"
  },
  {
    "id": "Grid view"
  },
  {
    "id": "List view"
  },
  {
    "id": "The schedule has not been released yet."
  },
  {
    "id": "Version %(version)s",
    "flags": [
      "python-format"
    ]
  },
  {
    "id": "Schedule version %(version)s",
    "flags": [
      "python-format"
    ]
  },
  {
    "id": "Released: %(date)s",
    "flags": [
      "python-format"
    ]
  },
  {
    "id": "No talks yet."
  },
  {
    "id": "No talks are featured yet."
  },
  {
    "id": "Time"
  },
  {
    "id": "Room"
  },
  {
    "id": "Track"
  },
  {
    "id": "This talk will not be recorded."
  },
  {
    "id": "Abstract"
  },
  {
    "id": "Description"
  },
  {
    "id": "Add to calendar (.ics)"
  },
  {
    "id": "Biography"
  },
  {
    "id": "Organiser login"
  },
  {
    "id": "E-mail address"
  },
  {
    "id": "Password"
  },
  {
    "id": "Log in"
  },
  {
    "id": "work-in-progress schedule"
  },
  {
    "id": "(not public)"
  },
  {
    "id": "Logged in as %(email)s.",
    "flags": [
      "python-format"
    ]
  },
  {
    "id": "Log out"
  },
  {
    "id": "No public events yet."
  },
  {
    "id": "Events"
  },
  {
    "id": "Too many failed attempts. Please try again in %(count)s minute.",
    "plural": "Too many failed attempts. Please try again in %(count)s minutes.",
    "flags": [
      "python-format"
    ]
  },
  {
    "id": "Wrong e-mail address or password."
  },
  {
    "id": "Not found"
  },
  {
    "id": "There is no page at this address."
  },
  {
    "id": "All events"
  },
  {
    "id": "Site"
  },
  {
    "id": "Served by confctl"
  },
  {
    "context": "link to what runs now",
    "id": "Now"
  },
  {
    "context": "talk",
    "id": "now"
  },
  {
    "context": "talk",
    "id": "next"
  },
  {
    "context": "talk",
    "id": "Type"
  },
  {
    "context": "of a speaker",
    "id": "Talks"
  }
];

export const CATALOGUES: Readonly<Record<string, EmbeddedCatalogue>> = {
  "de": {
    "pluralForms": "nplurals=2; plural=(n != 1);",
    "translations": {
      "Skip to content": [
        "Zum Inhalt springen"
      ],
      "Schedule": [
        "Programm"
      ],
      "Talks": [
        "Beiträge"
      ],
      "Speakers": [
        "Vortragende"
      ],
      "Featured": [
        "Empfohlen"
      ],
      "Changelog": [
        "Änderungen"
      ],
      "Feeds": [
        "Feeds"
      ],
      "Made with confctl": [
        "Erstellt mit confctl"
      ],
      "Language": [
        "Sprache"
      ],
      "%(day)s, %(start)s–%(end)s": [
        "%(day)s, %(start)s–%(end)s"
      ],
      "Room (%(count)s)": [
        "Raum (%(count)s)",
        "Räume (%(count)s)"
      ],
      "Days": [
        "Tage"
      ],
      "Grid view": [
        "Rasteransicht"
      ],
      "List view": [
        "Listenansicht"
      ],
      "The schedule has not been released yet.": [
        "Das Programm ist noch nicht veröffentlicht."
      ],
      "Version %(version)s": [
        "Version %(version)s"
      ],
      "Schedule version %(version)s": [
        "Programmversion %(version)s"
      ],
      "Released: %(date)s": [
        "Veröffentlicht: %(date)s"
      ],
      "No talks yet.": [
        "Noch keine Beiträge."
      ],
      "No talks are featured yet.": [
        "Noch keine empfohlenen Beiträge."
      ],
      "Time": [
        "Zeit"
      ],
      "Room": [
        "Raum"
      ],
      "Track": [
        "Track"
      ],
      "This talk will not be recorded.": [
        "Dieser Beitrag wird nicht aufgezeichnet."
      ],
      "Abstract": [
        "Zusammenfassung"
      ],
      "Description": [
        "Beschreibung"
      ],
      "Add to calendar (.ics)": [
        "Zum Kalender hinzufügen (.ics)"
      ],
      "Biography": [
        "Biografie"
      ],
      "Organiser login": [
        "Anmeldung für Veranstaltende"
      ],
      "E-mail address": [
        "E-Mail-Adresse"
      ],
      "Password": [
        "Passwort"
      ],
      "Log in": [
        "Anmelden"
      ],
      "work-in-progress schedule": [
        "Programm in Arbeit"
      ],
      "(not public)": [
        "(nicht öffentlich)"
      ],
      "Logged in as %(email)s.": [
        "Angemeldet als %(email)s."
      ],
      "Log out": [
        "Abmelden"
      ],
      "No public events yet.": [
        "Noch keine öffentlichen Veranstaltungen."
      ],
      "Events": [
        "Veranstaltungen"
      ],
      "Too many failed attempts. Please try again in %(count)s minute.": [
        "Zu viele fehlgeschlagene Versuche. Bitte versuchen Sie es in %(count)s Minute erneut.",
        "Zu viele fehlgeschlagene Versuche. Bitte versuchen Sie es in %(count)s Minuten erneut."
      ],
      "Wrong e-mail address or password.": [
        "E-Mail-Adresse oder Passwort falsch."
      ],
      "Not found": [
        "Nicht gefunden"
      ],
      "There is no page at this address.": [
        "Unter dieser Adresse gibt es keine Seite."
      ],
      "All events": [
        "Alle Veranstaltungen"
      ],
      "Site": [
        "Website"
      ],
      "Served by confctl": [
        "Bereitgestellt von confctl"
      ],
      "link to what runs now\u0004Now": [
        "Jetzt"
      ],
      "talk\u0004now": [
        "jetzt"
      ],
      "talk\u0004next": [
        "danach"
      ],
      "talk\u0004Type": [
        "Art"
      ],
      "of a speaker\u0004Talks": [
        "Beiträge"
      ]
    }
  },
  "es": {
    "pluralForms": "nplurals=2; plural=(n != 1);",
    "translations": {
      "Skip to content": [
        "Saltar al contenido"
      ],
      "Schedule": [
        "Programa"
      ],
      "Talks": [
        "Charlas"
      ],
      "Speakers": [
        "Ponentes"
      ],
      "Featured": [
        "Destacadas"
      ],
      "Changelog": [
        "Historial de cambios"
      ],
      "Feeds": [
        "Feeds"
      ],
      "Made with confctl": [
        "Hecho con confctl"
      ],
      "Language": [
        "Idioma"
      ],
      "%(day)s, %(start)s–%(end)s": [
        "%(day)s, %(start)s–%(end)s"
      ],
      "Room (%(count)s)": [
        "Sala (%(count)s)",
        "Salas (%(count)s)"
      ],
      "Days": [
        "Días"
      ],
      "Grid view": [
        "Vista de cuadrícula"
      ],
      "List view": [
        "Vista de lista"
      ],
      "The schedule has not been released yet.": [
        "El programa aún no se ha publicado."
      ],
      "Version %(version)s": [
        "Versión %(version)s"
      ],
      "Schedule version %(version)s": [
        "Versión del programa %(version)s"
      ],
      "Released: %(date)s": [
        "Publicada: %(date)s"
      ],
      "No talks yet.": [
        "Aún no hay charlas."
      ],
      "No talks are featured yet.": [
        "Aún no hay charlas destacadas."
      ],
      "Time": [
        "Horario"
      ],
      "Room": [
        "Sala"
      ],
      "Track": [
        "Temática"
      ],
      "This talk will not be recorded.": [
        "Esta charla no se grabará."
      ],
      "Abstract": [
        "Resumen"
      ],
      "Description": [
        "Descripción"
      ],
      "Add to calendar (.ics)": [
        "Añadir al calendario (.ics)"
      ],
      "Biography": [
        "Biografía"
      ],
      "Organiser login": [
        "Acceso para organizadores"
      ],
      "E-mail address": [
        "Correo electrónico"
      ],
      "Password": [
        "Contraseña"
      ],
      "Log in": [
        "Iniciar sesión"
      ],
      "work-in-progress schedule": [
        "programa en preparación"
      ],
      "(not public)": [
        "(no público)"
      ],
      "Logged in as %(email)s.": [
        "Sesión iniciada como %(email)s."
      ],
      "Log out": [
        "Cerrar sesión"
      ],
      "No public events yet.": [
        "Aún no hay eventos públicos."
      ],
      "Events": [
        "Eventos"
      ],
      "Too many failed attempts. Please try again in %(count)s minute.": [
        "Demasiados intentos fallidos. Vuelve a intentarlo dentro de %(count)s minuto.",
        "Demasiados intentos fallidos. Vuelve a intentarlo dentro de %(count)s minutos."
      ],
      "Wrong e-mail address or password.": [
        "Correo electrónico o contraseña incorrectos."
      ],
      "Not found": [
        "No encontrado"
      ],
      "There is no page at this address.": [
        "No hay ninguna página en esta dirección."
      ],
      "All events": [
        "Todos los eventos"
      ],
      "Site": [
        "Sitio"
      ],
      "Served by confctl": [
        "Servido por confctl"
      ],
      "link to what runs now\u0004Now": [
        "Ahora"
      ],
      "talk\u0004now": [
        "ahora"
      ],
      "talk\u0004next": [
        "a continuación"
      ],
      "talk\u0004Type": [
        "Formato"
      ],
      "of a speaker\u0004Talks": [
        "Charlas"
      ]
    }
  },
  "fr": {
    "pluralForms": "nplurals=2; plural=(n > 1);",
    "translations": {
      "Skip to content": [
        "Aller au contenu"
      ],
      "Schedule": [
        "Programme"
      ],
      "Talks": [
        "Présentations"
      ],
      "Speakers": [
        "Intervenants"
      ],
      "Featured": [
        "À la une"
      ],
      "Changelog": [
        "Historique des modifications"
      ],
      "Feeds": [
        "Flux"
      ],
      "Made with confctl": [
        "Réalisé avec confctl"
      ],
      "Language": [
        "Langue"
      ],
      "%(day)s, %(start)s–%(end)s": [
        "%(day)s, %(start)s–%(end)s"
      ],
      "Room (%(count)s)": [
        "Salle (%(count)s)",
        "Salles (%(count)s)"
      ],
      "Days": [
        "Jours"
      ],
      "Grid view": [
        "Vue en grille"
      ],
      "List view": [
        "Vue en liste"
      ],
      "The schedule has not been released yet.": [
        "Le programme n’a pas encore été publié."
      ],
      "Version %(version)s": [
        "Version %(version)s"
      ],
      "Schedule version %(version)s": [
        "Version du programme %(version)s"
      ],
      "Released: %(date)s": [
        "Publiée le %(date)s"
      ],
      "No talks yet.": [
        "Aucune présentation pour l’instant."
      ],
      "No talks are featured yet.": [
        "Aucune présentation n’est encore à la une."
      ],
      "Time": [
        "Horaire"
      ],
      "Room": [
        "Salle"
      ],
      "Track": [
        "Thématique"
      ],
      "This talk will not be recorded.": [
        "Cette présentation ne sera pas enregistrée."
      ],
      "Abstract": [
        "Résumé"
      ],
      "Description": [
        "Description"
      ],
      "Add to calendar (.ics)": [
        "Ajouter à l’agenda (.ics)"
      ],
      "Biography": [
        "Biographie"
      ],
      "Organiser login": [
        "Connexion des organisateurs"
      ],
      "E-mail address": [
        "Adresse e-mail"
      ],
      "Password": [
        "Mot de passe"
      ],
      "Log in": [
        "Se connecter"
      ],
      "work-in-progress schedule": [
        "programme en préparation"
      ],
      "(not public)": [
        "(non public)"
      ],
      "Logged in as %(email)s.": [
        "Connecté en tant que %(email)s."
      ],
      "Log out": [
        "Se déconnecter"
      ],
      "No public events yet.": [
        "Aucun événement public pour l’instant."
      ],
      "Events": [
        "Événements"
      ],
      "Too many failed attempts. Please try again in %(count)s minute.": [
        "Trop de tentatives échouées. Veuillez réessayer dans %(count)s minute.",
        "Trop de tentatives échouées. Veuillez réessayer dans %(count)s minutes."
      ],
      "Wrong e-mail address or password.": [
        "Adresse e-mail ou mot de passe incorrect."
      ],
      "Not found": [
        "Page introuvable"
      ],
      "There is no page at this address.": [
        "Il n’y a aucune page à cette adresse."
      ],
      "All events": [
        "Tous les événements"
      ],
      "Site": [
        "Site"
      ],
      "Served by confctl": [
        "Servi par confctl"
      ],
      "link to what runs now\u0004Now": [
        "Maintenant"
      ],
      "talk\u0004now": [
        "en cours"
      ],
      "talk\u0004next": [
        "ensuite"
      ],
      "talk\u0004Type": [
        "Format"
      ],
      "of a speaker\u0004Talks": [
        "Présentations"
      ]
    }
  },
  "it": {
    "pluralForms": "nplurals=2; plural=(n != 1);",
    "translations": {
      "Skip to content": [
        "Vai al contenuto"
      ],
      "Schedule": [
        "Programma"
      ],
      "Talks": [
        "Interventi"
      ],
      "Speakers": [
        "Relatori"
      ],
      "Featured": [
        "In evidenza"
      ],
      "Changelog": [
        "Registro delle modifiche"
      ],
      "Feeds": [
        "Feed"
      ],
      "Made with confctl": [
        "Realizzato con confctl"
      ],
      "Language": [
        "Lingua"
      ],
      "%(day)s, %(start)s–%(end)s": [
        "%(day)s, %(start)s–%(end)s"
      ],
      "Room (%(count)s)": [
        "Sala (%(count)s)",
        "Sale (%(count)s)"
      ],
      "Days": [
        "Giorni"
      ],
      "Grid view": [
        "Vista a griglia"
      ],
      "List view": [
        "Vista a elenco"
      ],
      "The schedule has not been released yet.": [
        "Il programma non è ancora stato pubblicato."
      ],
      "Version %(version)s": [
        "Versione %(version)s"
      ],
      "Schedule version %(version)s": [
        "Versione del programma %(version)s"
      ],
      "Released: %(date)s": [
        "Pubblicata: %(date)s"
      ],
      "No talks yet.": [
        "Ancora nessun intervento."
      ],
      "No talks are featured yet.": [
        "Ancora nessun intervento in evidenza."
      ],
      "Time": [
        "Orario"
      ],
      "Room": [
        "Sala"
      ],
      "Track": [
        "Tema"
      ],
      "This talk will not be recorded.": [
        "Questo intervento non sarà registrato."
      ],
      "Abstract": [
        "Sommario"
      ],
      "Description": [
        "Descrizione"
      ],
      "Add to calendar (.ics)": [
        "Aggiungi al calendario (.ics)"
      ],
      "Biography": [
        "Biografia"
      ],
      "Organiser login": [
        "Accesso organizzatori"
      ],
      "E-mail address": [
        "Indirizzo e-mail"
      ],
      "Password": [
        "Password"
      ],
      "Log in": [
        "Accedi"
      ],
      "work-in-progress schedule": [
        "programma in lavorazione"
      ],
      "(not public)": [
        "(non pubblico)"
      ],
      "Logged in as %(email)s.": [
        "Accesso effettuato come %(email)s."
      ],
      "Log out": [
        "Esci"
      ],
      "No public events yet.": [
        "Ancora nessun evento pubblico."
      ],
      "Events": [
        "Eventi"
      ],
      "Too many failed attempts. Please try again in %(count)s minute.": [
        "Troppi tentativi non riusciti. Riprova tra %(count)s minuto.",
        "Troppi tentativi non riusciti. Riprova tra %(count)s minuti."
      ],
      "Wrong e-mail address or password.": [
        "Indirizzo e-mail o password errati."
      ],
      "Not found": [
        "Pagina non trovata"
      ],
      "There is no page at this address.": [
        "Non esiste alcuna pagina a questo indirizzo."
      ],
      "All events": [
        "Tutti gli eventi"
      ],
      "Site": [
        "Sito"
      ],
      "Served by confctl": [
        "Servito da confctl"
      ],
      "link to what runs now\u0004Now": [
        "Adesso"
      ],
      "talk\u0004now": [
        "in corso"
      ],
      "talk\u0004next": [
        "a seguire"
      ],
      "talk\u0004Type": [
        "Formato"
      ],
      "of a speaker\u0004Talks": [
        "Interventi"
      ]
    }
  },
  "ja": {
    "pluralForms": "nplurals=1; plural=0;",
    "translations": {
      "Skip to content": [
        "コンテンツへスキップ"
      ],
      "Schedule": [
        "タイムテーブル"
      ],
      "Talks": [
        "講演"
      ],
      "Speakers": [
        "登壇者"
      ],
      "Featured": [
        "注目の講演"
      ],
      "Changelog": [
        "変更履歴"
      ],
      "Feeds": [
        "フィード"
      ],
      "Made with confctl": [
        "confctl で作成"
      ],
      "Language": [
        "言語"
      ],
      "%(day)s, %(start)s–%(end)s": [
        "%(day)s %(start)s–%(end)s"
      ],
      "Room (%(count)s)": [
        "会場 (%(count)s)"
      ],
      "Days": [
        "日程"
      ],
      "Grid view": [
        "グリッド表示"
      ],
      "List view": [
        "リスト表示"
      ],
      "The schedule has not been released yet.": [
        "タイムテーブルはまだ公開されていません。"
      ],
      "Version %(version)s": [
        "バージョン %(version)s"
      ],
      "Schedule version %(version)s": [
        "タイムテーブル バージョン %(version)s"
      ],
      "Released: %(date)s": [
        "公開日時: %(date)s"
      ],
      "No talks yet.": [
        "まだ講演はありません。"
      ],
      "No talks are featured yet.": [
        "注目の講演はまだありません。"
      ],
      "Time": [
        "時間"
      ],
      "Room": [
        "会場"
      ],
      "Track": [
        "トラック"
      ],
      "This talk will not be recorded.": [
        "この講演は録画されません。"
      ],
      "Abstract": [
        "概要"
      ],
      "Description": [
        "詳細"
      ],
      "Add to calendar (.ics)": [
        "カレンダーに追加 (.ics)"
      ],
      "Biography": [
        "自己紹介"
      ],
      "Organiser login": [
        "主催者ログイン"
      ],
      "E-mail address": [
        "メールアドレス"
      ],
      "Password": [
        "パスワード"
      ],
      "Log in": [
        "ログイン"
      ],
      "work-in-progress schedule": [
        "作成中のタイムテーブル"
      ],
      "(not public)": [
        "(非公開)"
      ],
      "Logged in as %(email)s.": [
        "%(email)s としてログインしています。"
      ],
      "Log out": [
        "ログアウト"
      ],
      "No public events yet.": [
        "公開中のイベントはまだありません。"
      ],
      "Events": [
        "イベント"
      ],
      "Too many failed attempts. Please try again in %(count)s minute.": [
        "ログインの失敗が多すぎます。%(count)s 分後にもう一度お試しください。"
      ],
      "Wrong e-mail address or password.": [
        "メールアドレスまたはパスワードが正しくありません。"
      ],
      "Not found": [
        "ページが見つかりません"
      ],
      "There is no page at this address.": [
        "このアドレスにはページがありません。"
      ],
      "All events": [
        "すべてのイベント"
      ],
      "Site": [
        "サイト"
      ],
      "Served by confctl": [
        "confctl で配信"
      ],
      "link to what runs now\u0004Now": [
        "現在"
      ],
      "talk\u0004now": [
        "進行中"
      ],
      "talk\u0004next": [
        "次"
      ],
      "talk\u0004Type": [
        "形式"
      ],
      "of a speaker\u0004Talks": [
        "講演"
      ]
    }
  },
  "nl": {
    "pluralForms": "nplurals=2; plural=(n != 1);",
    "translations": {
      "Skip to content": [
        "Naar de inhoud"
      ],
      "Schedule": [
        "Programma"
      ],
      "Talks": [
        "Lezingen"
      ],
      "Speakers": [
        "Sprekers"
      ],
      "Featured": [
        "Uitgelicht"
      ],
      "Changelog": [
        "Wijzigingen"
      ],
      "Feeds": [
        "Feeds"
      ],
      "Made with confctl": [
        "Gemaakt met confctl"
      ],
      "Language": [
        "Taal"
      ],
      "%(day)s, %(start)s–%(end)s": [
        "%(day)s, %(start)s–%(end)s"
      ],
      "Room (%(count)s)": [
        "Zaal (%(count)s)",
        "Zalen (%(count)s)"
      ],
      "Days": [
        "Dagen"
      ],
      "Grid view": [
        "Rasterweergave"
      ],
      "List view": [
        "Lijstweergave"
      ],
      "The schedule has not been released yet.": [
        "Het programma is nog niet gepubliceerd."
      ],
      "Version %(version)s": [
        "Versie %(version)s"
      ],
      "Schedule version %(version)s": [
        "Programmaversie %(version)s"
      ],
      "Released: %(date)s": [
        "Gepubliceerd: %(date)s"
      ],
      "No talks yet.": [
        "Nog geen lezingen."
      ],
      "No talks are featured yet.": [
        "Nog geen uitgelichte lezingen."
      ],
      "Time": [
        "Tijd"
      ],
      "Room": [
        "Zaal"
      ],
      "Track": [
        "Track"
      ],
      "This talk will not be recorded.": [
        "Deze lezing wordt niet opgenomen."
      ],
      "Abstract": [
        "Samenvatting"
      ],
      "Description": [
        "Beschrijving"
      ],
      "Add to calendar (.ics)": [
        "Toevoegen aan agenda (.ics)"
      ],
      "Biography": [
        "Biografie"
      ],
      "Organiser login": [
        "Inloggen voor organisatoren"
      ],
      "E-mail address": [
        "E-mailadres"
      ],
      "Password": [
        "Wachtwoord"
      ],
      "Log in": [
        "Inloggen"
      ],
      "work-in-progress schedule": [
        "programma in voorbereiding"
      ],
      "(not public)": [
        "(niet openbaar)"
      ],
      "Logged in as %(email)s.": [
        "Ingelogd als %(email)s."
      ],
      "Log out": [
        "Uitloggen"
      ],
      "No public events yet.": [
        "Nog geen openbare evenementen."
      ],
      "Events": [
        "Evenementen"
      ],
      "Too many failed attempts. Please try again in %(count)s minute.": [
        "Te veel mislukte pogingen. Probeer het over %(count)s minuut opnieuw.",
        "Te veel mislukte pogingen. Probeer het over %(count)s minuten opnieuw."
      ],
      "Wrong e-mail address or password.": [
        "Onjuist e-mailadres of wachtwoord."
      ],
      "Not found": [
        "Niet gevonden"
      ],
      "There is no page at this address.": [
        "Er is geen pagina op dit adres."
      ],
      "All events": [
        "Alle evenementen"
      ],
      "Site": [
        "Site"
      ],
      "Served by confctl": [
        "Geleverd door confctl"
      ],
      "link to what runs now\u0004Now": [
        "Nu"
      ],
      "talk\u0004now": [
        "nu"
      ],
      "talk\u0004next": [
        "hierna"
      ],
      "talk\u0004Type": [
        "Soort"
      ],
      "of a speaker\u0004Talks": [
        "Lezingen"
      ]
    }
  },
  "pl": {
    "pluralForms": "nplurals=3; plural=(n==1 ? 0 : n%10>=2 && n%10<=4 && (n%100<10 || n%100>=20) ? 1 : 2);",
    "translations": {
      "Skip to content": [
        "Przejdź do treści"
      ],
      "Schedule": [
        "Program"
      ],
      "Talks": [
        "Wystąpienia"
      ],
      "Speakers": [
        "Prelegenci"
      ],
      "Featured": [
        "Wyróżnione"
      ],
      "Changelog": [
        "Historia zmian"
      ],
      "Feeds": [
        "Kanały"
      ],
      "Made with confctl": [
        "Stworzono w confctl"
      ],
      "Language": [
        "Język"
      ],
      "%(day)s, %(start)s–%(end)s": [
        "%(day)s, %(start)s–%(end)s"
      ],
      "Room (%(count)s)": [
        "Sala (%(count)s)",
        "Sale (%(count)s)",
        "Sale (%(count)s)"
      ],
      "Days": [
        "Dni"
      ],
      "Grid view": [
        "Widok siatki"
      ],
      "List view": [
        "Widok listy"
      ],
      "The schedule has not been released yet.": [
        "Program nie został jeszcze opublikowany."
      ],
      "Version %(version)s": [
        "Wersja %(version)s"
      ],
      "Schedule version %(version)s": [
        "Wersja programu %(version)s"
      ],
      "Released: %(date)s": [
        "Opublikowano: %(date)s"
      ],
      "No talks yet.": [
        "Nie ma jeszcze wystąpień."
      ],
      "No talks are featured yet.": [
        "Nie ma jeszcze wyróżnionych wystąpień."
      ],
      "Time": [
        "Godzina"
      ],
      "Room": [
        "Sala"
      ],
      "Track": [
        "Ścieżka"
      ],
      "This talk will not be recorded.": [
        "To wystąpienie nie będzie nagrywane."
      ],
      "Abstract": [
        "Streszczenie"
      ],
      "Description": [
        "Opis"
      ],
      "Add to calendar (.ics)": [
        "Dodaj do kalendarza (.ics)"
      ],
      "Biography": [
        "Biografia"
      ],
      "Organiser login": [
        "Logowanie dla organizatorów"
      ],
      "E-mail address": [
        "Adres e-mail"
      ],
      "Password": [
        "Hasło"
      ],
      "Log in": [
        "Zaloguj się"
      ],
      "work-in-progress schedule": [
        "program w przygotowaniu"
      ],
      "(not public)": [
        "(niepubliczne)"
      ],
      "Logged in as %(email)s.": [
        "Zalogowano jako %(email)s."
      ],
      "Log out": [
        "Wyloguj się"
      ],
      "No public events yet.": [
        "Nie ma jeszcze publicznych wydarzeń."
      ],
      "Events": [
        "Wydarzenia"
      ],
      "Too many failed attempts. Please try again in %(count)s minute.": [
        "Zbyt wiele nieudanych prób. Spróbuj ponownie za %(count)s minutę.",
        "Zbyt wiele nieudanych prób. Spróbuj ponownie za %(count)s minuty.",
        "Zbyt wiele nieudanych prób. Spróbuj ponownie za %(count)s minut."
      ],
      "Wrong e-mail address or password.": [
        "Nieprawidłowy adres e-mail lub hasło."
      ],
      "Not found": [
        "Nie znaleziono"
      ],
      "There is no page at this address.": [
        "Pod tym adresem nie ma żadnej strony."
      ],
      "All events": [
        "Wszystkie wydarzenia"
      ],
      "Site": [
        "Witryna"
      ],
      "Served by confctl": [
        "Obsługiwane przez confctl"
      ],
      "link to what runs now\u0004Now": [
        "Teraz"
      ],
      "talk\u0004now": [
        "teraz"
      ],
      "talk\u0004next": [
        "następne"
      ],
      "talk\u0004Type": [
        "Rodzaj"
      ],
      "of a speaker\u0004Talks": [
        "Wystąpienia"
      ]
    }
  },
  "pt_BR": {
    "pluralForms": "nplurals=2; plural=(n > 1);",
    "translations": {
      "Skip to content": [
        "Pular para o conteúdo"
      ],
      "Schedule": [
        "Programação"
      ],
      "Talks": [
        "Palestras"
      ],
      "Speakers": [
        "Palestrantes"
      ],
      "Featured": [
        "Destaques"
      ],
      "Changelog": [
        "Histórico de alterações"
      ],
      "Feeds": [
        "Feeds"
      ],
      "Made with confctl": [
        "Feito com confctl"
      ],
      "Language": [
        "Idioma"
      ],
      "%(day)s, %(start)s–%(end)s": [
        "%(day)s, %(start)s–%(end)s"
      ],
      "Room (%(count)s)": [
        "Sala (%(count)s)",
        "Salas (%(count)s)"
      ],
      "Days": [
        "Dias"
      ],
      "Grid view": [
        "Visualização em grade"
      ],
      "List view": [
        "Visualização em lista"
      ],
      "The schedule has not been released yet.": [
        "A programação ainda não foi publicada."
      ],
      "Version %(version)s": [
        "Versão %(version)s"
      ],
      "Schedule version %(version)s": [
        "Versão da programação %(version)s"
      ],
      "Released: %(date)s": [
        "Publicada em %(date)s"
      ],
      "No talks yet.": [
        "Ainda não há palestras."
      ],
      "No talks are featured yet.": [
        "Ainda não há palestras em destaque."
      ],
      "Time": [
        "Horário"
      ],
      "Room": [
        "Sala"
      ],
      "Track": [
        "Trilha"
      ],
      "This talk will not be recorded.": [
        "Esta palestra não será gravada."
      ],
      "Abstract": [
        "Resumo"
      ],
      "Description": [
        "Descrição"
      ],
      "Add to calendar (.ics)": [
        "Adicionar à agenda (.ics)"
      ],
      "Biography": [
        "Biografia"
      ],
      "Organiser login": [
        "Acesso da organização"
      ],
      "E-mail address": [
        "Endereço de e-mail"
      ],
      "Password": [
        "Senha"
      ],
      "Log in": [
        "Entrar"
      ],
      "work-in-progress schedule": [
        "programação em andamento"
      ],
      "(not public)": [
        "(não público)"
      ],
      "Logged in as %(email)s.": [
        "Conectado como %(email)s."
      ],
      "Log out": [
        "Sair"
      ],
      "No public events yet.": [
        "Ainda não há eventos públicos."
      ],
      "Events": [
        "Eventos"
      ],
      "Too many failed attempts. Please try again in %(count)s minute.": [
        "Muitas tentativas sem sucesso. Tente novamente em %(count)s minuto.",
        "Muitas tentativas sem sucesso. Tente novamente em %(count)s minutos."
      ],
      "Wrong e-mail address or password.": [
        "E-mail ou senha incorretos."
      ],
      "Not found": [
        "Não encontrado"
      ],
      "There is no page at this address.": [
        "Não há nenhuma página neste endereço."
      ],
      "All events": [
        "Todos os eventos"
      ],
      "Site": [
        "Site"
      ],
      "Served by confctl": [
        "Servido por confctl"
      ],
      "link to what runs now\u0004Now": [
        "Agora"
      ],
      "talk\u0004now": [
        "agora"
      ],
      "talk\u0004next": [
        "a seguir"
      ],
      "talk\u0004Type": [
        "Formato"
      ],
      "of a speaker\u0004Talks": [
        "Palestras"
      ]
    }
  }
};
