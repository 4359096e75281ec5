/* dlg-report-export.c - a report as PDF, CSV and JSON
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The PDF is drawn with cairo and Pango, page by page, onto whatever
 * cairo context the caller gives: a PDF surface here, a GtkPrintContext in
 * the app. Content is first turned into a list of blocks (a line of text, a
 * table row, a heading), each a list of drawing items with a known height;
 * pagination then places blocks on pages, so that the page count is known
 * before anything is drawn and "Page N of M" is right on the first page.
 * Long texts are cut into one block per line, so a comment of any length
 * flows across pages; the coloured bar of an answer is drawn per block, so
 * it follows the text onto the next page.
 *
 * The document is written in the report's language, not the reader's:
 * questions, options and section titles come from the report itself, and
 * the fixed labels are built in for the languages Diligence ships (as
 * dlg_option_get_label() does for "Yes" and "No"), so that a signed report
 * prints the same on every computer. Other languages go through gettext.
 *
 * Levels are never shown by colour alone: every coloured cell or badge
 * also has a glyph whose shape differs per level (circle with a tick,
 * triangle with "!", octagon with a cross…) and the level's word.
 */

#define G_LOG_DOMAIN "dlg-report-export"

#include "config.h"

#include <cairo-pdf.h>
#include <glib/gi18n-lib.h>
#include <math.h>
#include <pango/pangocairo.h>
#include <string.h>

#include "dlg-file.h"
#include "dlg-payload-private.h"
#include "dlg-report-export.h"

/* Page geometry, in points. */
#define PAGE_W        DLG_REPORT_PAGE_WIDTH
#define PAGE_H        DLG_REPORT_PAGE_HEIGHT
#define MARGIN_X      50.0
#define MARGIN_TOP    64.0
#define MARGIN_BOTTOM 66.0
#define CONTENT_W     (PAGE_W - 2 * MARGIN_X)
#define CARD_INDENT   12.0
#define CHIP_H        15.0
#define LINE_GAP      1.2

/* At most this many lines of one field in a table cell, which cannot be
 * split across pages; the rest is ellipsized. */
#define MAX_CELL_LINES 12

typedef struct
{
  double r, g, b;
} Rgb;

#define RGB(hex) { ((hex) >> 16 & 0xff) / 255.0, ((hex) >> 8 & 0xff) / 255.0, ((hex) & 0xff) / 255.0 }

static const Rgb ink = RGB (0x1c1c21);
static const Rgb ink_secondary = RGB (0x5a5a66);
static const Rgb rule_colour = RGB (0xd3d5da);
static const Rgb shade = RGB (0xf3f4f6);
static const Rgb navy = RGB (0x1b2a3b);
static const Rgb accent = RGB (0x3b6ea5);
static const Rgb white = RGB (0xffffff);

typedef struct
{
  Rgb strong;   /* fills and glyphs; white text on it reads at 4.5:1 or more */
  Rgb tint;     /* cell backgrounds */
  Rgb dark;     /* words on the tint */
} LevelColours;

static const LevelColours level_colours[] = {
  [DLG_LEVEL_NONE] = { RGB (0x80808a), RGB (0xf2f2f4), RGB (0x48484f) },
  [DLG_LEVEL_GREY] = { RGB (0x66666e), RGB (0xe9e9ec), RGB (0x3a3a40) },
  [DLG_LEVEL_GREEN] = { RGB (0x1d7542), RGB (0xe1f3e7), RGB (0x114d2a) },
  [DLG_LEVEL_AMBER] = { RGB (0xa95a00), RGB (0xfcefd9), RGB (0x6e3a00) },
  [DLG_LEVEL_RED] = { RGB (0xbb1b27), RGB (0xfae2e3), RGB (0x7c1018) },
  [DLG_LEVEL_INCOMPLETE] = { RGB (0x3a5a8c), RGB (0xe3e9f3), RGB (0x23395c) },
};

/* Labels */

typedef enum
{
  L_KIND,
  L_QUICK_SCAN,
  L_FULL,
  L_VERSION,
  L_ENTERPRISE_NUMBER,
  L_COUNTRY,
  L_CONTACT,
  L_RECIPIENTS,
  L_NO_RECIPIENT,
  L_PERIOD,
  L_SCOPE,
  L_QUESTIONNAIRE,
  L_QUESTIONNAIRE_SHA,
  L_REPORT_ID,
  L_CREATED,
  L_SUPERSEDES,
  L_OVERALL,
  L_SCORE,
  L_NO_SCORE,
  L_PROGRESS,
  L_CRITICAL,
  L_PROVISIONAL,
  L_SIGNATURE,
  L_SIGNED_BY,
  L_FINGERPRINT,
  L_VERIFICATION,
  L_NOT_SIGNED,
  L_HOW_TO_VERIFY,
  L_RESULTS,
  L_SECTION,
  L_LEVEL,
  L_SCORE_COLUMN,
  L_ANSWERED_COLUMN,
  L_LEGEND,
  L_FINDINGS,
  L_NO_FINDINGS,
  L_ANSWERS,
  L_NOT_ANSWERED,
  L_COMMENT,
  L_EVIDENCE,
  L_REQUIRED,
  L_ZERO_TOLERANCE,
  L_ACTION_PLAN,
  L_ACTION,
  L_STATUS,
  L_RESPONSIBLE,
  L_DUE,
  L_NO_ACTIONS,
  L_PAGE,
  L_ROOT_CAUSE,
  L_CORRECTIVE_ACTION,
  L_PREVENTIVE_ACTION,
  L_START,
  L_PRIORITY,
  L_REVIEW,
  L_NOTES,
  L_DISMISSAL_REASON,
  L_PLAN_REVIEW,
  /* Values of the action plan */
  L_V_NOT_STARTED,
  L_V_IN_PROGRESS,
  L_V_DONE,
  L_V_VERIFIED,
  L_V_MINOR,
  L_V_MAJOR,
  L_V_PRIORITY,
  L_V_DRAFT,
  L_V_SUBMITTED,
  L_V_APPROVED,
  L_V_CHANGES_REQUESTED,
  L_V_REJECTED,
  L_V_DISMISSED,
  /* Levels: word, then meaning, in DlgLevel order */
  L_LEVEL_NONE,
  L_LEVEL_GREY,
  L_LEVEL_GREEN,
  L_LEVEL_AMBER,
  L_LEVEL_RED,
  L_LEVEL_INCOMPLETE,
  L_MEANING_NONE,
  L_MEANING_GREY,
  L_MEANING_GREEN,
  L_MEANING_AMBER,
  L_MEANING_RED,
  L_MEANING_INCOMPLETE,
  N_LABELS
} LabelId;

typedef struct
{
  const char *en;   /* the msgid */
  const char *fr;
  const char *nl;
  const char *de;
} Label;

/* Each translation is word for word the one po/ holds for the msgid in
 * the "report" context, and where the app shows the same thing (a level,
 * a status, a column) the app's word: tests/test-report.c compares them,
 * so a change of wording goes in both places. */
static const Label labels[N_LABELS] = {
  [L_KIND] = { NC_("report", "Self-assessment report"), "Rapport d’auto-évaluation", "Zelfevaluatierapport", "Bericht zur Selbstbewertung" },
  [L_QUICK_SCAN] = { NC_("report", "Quick scan"), "Scan rapide", "Quickscan", "Schnellcheck" },
  [L_FULL] = { NC_("report", "Full questionnaire"), "Questionnaire complet", "Volledige vragenlijst", "Gesamter Fragebogen" },
  [L_VERSION] = { NC_("report", "Version %s"), "Version %s", "Versie %s", "Version %s" },
  [L_ENTERPRISE_NUMBER] = { NC_("report", "Enterprise or VAT number"), "Numéro d’entreprise ou de TVA", "Ondernemingsnummer of btw-nummer", "Unternehmensnummer oder USt-IdNr." },
  [L_COUNTRY] = { NC_("report", "Country"), "Pays", "Land", "Land" },
  [L_CONTACT] = { NC_("report", "Contact"), "Contact", "Contact", "Kontakt" },
  [L_RECIPIENTS] = { NC_("report", "Recipients"), "Destinataires", "Ontvangers", "Empfänger" },
  [L_NO_RECIPIENT] = { NC_("report", "None named"), "Aucun", "Geen opgegeven", "Keine angegeben" },
  [L_PERIOD] = { NC_("report", "Period"), "Période", "Periode", "Zeitraum" },
  [L_SCOPE] = { NC_("report", "Scope"), "Portée", "Omvang", "Umfang" },
  [L_QUESTIONNAIRE] = { NC_("report", "Questionnaire"), "Questionnaire", "Vragenlijst", "Fragebogen" },
  [L_QUESTIONNAIRE_SHA] = { NC_("report", "Questionnaire SHA-256"), "SHA-256 du questionnaire", "SHA-256 van de vragenlijst", "SHA-256 des Fragebogens" },
  [L_REPORT_ID] = { NC_("report", "Report ID"), "Identifiant du rapport", "Rapport-id", "Berichts-ID" },
  [L_CREATED] = { NC_("report", "Created"), "Créé le", "Aangemaakt", "Erstellt" },
  [L_SUPERSEDES] = { NC_("report", "Replaces report"), "Remplace le rapport", "Vervangt rapport", "Ersetzt Bericht" },
  [L_OVERALL] = { NC_("report", "Overall result"), "Résultat global", "Totaalresultaat", "Gesamtergebnis" },
  [L_SCORE] = { NC_("report", "Score: %s out of 100"), "Score\u00a0: %s sur 100", "Score: %s op 100", "Punktzahl: %s von 100" },
  [L_NO_SCORE] = { NC_("report", "No score"), "Pas de score", "Geen score", "Keine Punktzahl" },
  [L_PROGRESS] = { NC_("report", "%u of %u required questions answered"), "Questions obligatoires avec réponse\u00a0: %u sur %u", "%u van %u verplichte vragen beantwoord", "%u von %u Pflichtfragen beantwortet" },
  [L_CRITICAL] = { NC_("report", "Critical finding: a zero-tolerance question is answered red."), "Constat critique\u00a0: une question à tolérance zéro a une réponse rouge.", "Kritieke bevinding: een vraag met nultolerantie is rood beantwoord.", "Kritische Feststellung: Eine Null-Toleranz-Frage ist rot beantwortet." },
  [L_PROVISIONAL] = { NC_("report", "The answers given so far point to: %s"), "Les réponses données jusqu’ici indiquent\u00a0: %s", "De antwoorden tot nu toe wijzen op: %s", "Die bisherigen Antworten deuten hin auf: %s" },
  [L_SIGNATURE] = { NC_("report", "Signature"), "Signature", "Handtekening", "Signatur" },
  [L_SIGNED_BY] = { NC_("report", "Signed by"), "Signé par", "Ondertekend door", "Signiert von" },
  [L_FINGERPRINT] = { NC_("report", "Key fingerprint"), "Empreinte de la clé", "Vingerafdruk van de sleutel", "Fingerabdruck des Schlüssels" },
  [L_VERIFICATION] = { NC_("report", "Verification"), "Vérification", "Verificatie", "Verifizierung" },
  [L_NOT_SIGNED] = { NC_("report", "This copy is not signed. Only a signed report file (.jws) shows what was sent."), "Cette copie n’est pas signée. Seul un fichier de rapport signé (.jws) atteste de ce qui a été envoyé.", "Deze kopie is niet ondertekend. Alleen een ondertekend rapportbestand (.jws) toont wat er werd verstuurd.", "Diese Kopie ist nicht signiert. Nur eine signierte Berichtsdatei (.jws) belegt, was gesendet wurde." },
  [L_HOW_TO_VERIFY] = { NC_("report", "How to verify: this document is a readable copy. The signed report is the .jws file with the same report ID, a compact JWS signed with Ed25519. Check its signature with Diligence (or any JWS tool) against the sender’s public key, and compare the key fingerprint above with the one the sender gave you by another channel."),
                        "Comment vérifier\u00a0: ce document est une copie lisible. Le rapport signé est le fichier .jws portant le même identifiant de rapport, une JWS compacte signée avec Ed25519. Vérifiez sa signature avec Diligence (ou tout autre outil JWS) au moyen de la clé publique de l’expéditeur, et comparez l’empreinte de clé ci-dessus avec celle que l’expéditeur vous a communiquée par un autre canal.",
                        "Zo verifieert u het rapport: dit document is een leesbare kopie. Het ondertekende rapport is het .jws-bestand met dezelfde rapport-id, een compacte JWS die met Ed25519 is ondertekend. Controleer de handtekening ervan met Diligence (of een ander JWS-hulpmiddel) tegen de publieke sleutel van de afzender, en vergelijk de vingerafdruk van de sleutel hierboven met de vingerafdruk die de afzender u via een ander kanaal heeft bezorgd.",
                        "So verifizieren Sie: Dieses Dokument ist eine lesbare Kopie. Der signierte Bericht ist die .jws-Datei mit derselben Berichts-ID, eine mit Ed25519 signierte kompakte JWS. Prüfen Sie ihre Signatur mit Diligence (oder einem beliebigen JWS-Werkzeug) gegen den öffentlichen Schlüssel des Absenders und vergleichen Sie den obigen Fingerabdruck des Schlüssels mit dem, den Ihnen der Absender auf einem anderen Weg mitgeteilt hat." },
  [L_RESULTS] = { NC_("report", "Results by section"), "Résultats par section", "Resultaten per sectie", "Ergebnisse nach Abschnitt" },
  [L_SECTION] = { NC_("report", "Section"), "Section", "Sectie", "Abschnitt" },
  [L_LEVEL] = { NC_("report", "Level"), "Niveau", "Niveau", "Einstufung" },
  [L_SCORE_COLUMN] = { NC_("report", "Score"), "Score", "Score", "Punkte" },
  [L_ANSWERED_COLUMN] = { NC_("report", "Answered"), "Réponses", "Ingevuld", "Antworten" },
  [L_LEGEND] = { NC_("report", "How to read the levels"), "Lecture des niveaux", "Zo leest u de niveaus", "So lesen Sie die Einstufungen" },
  [L_FINDINGS] = { NC_("report", "Findings"), "Constats", "Bevindingen", "Feststellungen" },
  [L_NO_FINDINGS] = { NC_("report", "No answer is amber or red."), "Aucune réponse n’est orange ou rouge.", "Geen enkel antwoord is oranje of rood.", "Keine Antwort ist gelb oder rot." },
  [L_ANSWERS] = { NC_("report", "Answers as entered"), "Réponses telles que saisies", "Antwoorden zoals ingevuld", "Antworten wie eingegeben" },
  [L_NOT_ANSWERED] = { NC_("report", "Not answered"), "Sans réponse", "Niet beantwoord", "Nicht beantwortet" },
  [L_COMMENT] = { NC_("report", "Comment"), "Commentaire", "Opmerking", "Kommentar" },
  [L_EVIDENCE] = { NC_("report", "Evidence"), "Preuves", "Bewijsstukken", "Nachweise" },
  [L_REQUIRED] = { NC_("report", "Required"), "Obligatoire", "Verplicht", "Pflichtfrage" },
  [L_ZERO_TOLERANCE] = { NC_("report", "Zero tolerance"), "Tolérance zéro", "Nultolerantie", "Null-Toleranz" },
  [L_ACTION_PLAN] = { NC_("report", "Corrective action plan"), "Plan d’action correctif", "Correctief actieplan", "Korrekturmaßnahmenplan" },
  [L_ACTION] = { NC_("report", "Action"), "Action", "Actie", "Maßnahme" },
  [L_STATUS] = { NC_("report", "Status"), "État", "Status", "Status" },
  [L_RESPONSIBLE] = { NC_("report", "Responsible"), "Responsable", "Verantwoordelijke", "Verantwortlich" },
  [L_DUE] = { NC_("report", "Due date"), "Échéance", "Uiterste datum", "Fälligkeitsdatum" },
  [L_NO_ACTIONS] = { NC_("report", "The plan lists no actions."), "Le plan ne contient aucune action.", "Het plan bevat geen acties.", "Der Plan enthält keine Maßnahmen." },
  [L_PAGE] = { NC_("report", "Page %u of %u"), "Page %u sur %u", "Pagina %u van %u", "Seite %u von %u" },
  [L_ROOT_CAUSE] = { NC_("report", "Root cause"), "Cause profonde", "Grondoorzaak", "Grundursache" },
  [L_CORRECTIVE_ACTION] = { NC_("report", "Corrective action"), "Action corrective", "Corrigerende actie", "Korrekturmaßnahme" },
  [L_PREVENTIVE_ACTION] = { NC_("report", "Preventive action"), "Action préventive", "Preventieve actie", "Vorbeugungsmaßnahme" },
  [L_START] = { NC_("report", "Start"), "Début", "Start", "Beginn" },
  [L_PRIORITY] = { NC_("report", "Priority"), "Priorité", "Prioriteit", "Priorität" },
  [L_REVIEW] = { NC_("report", "Review"), "Examen", "Beoordeling", "Prüfung" },
  [L_NOTES] = { NC_("report", "Progress"), "Avancement", "Voortgang", "Fortschritt" },
  [L_DISMISSAL_REASON] = { NC_("report", "Reason for dismissal"), "Motif de la mise à l’écart", "Reden voor verwerping", "Grund für das Verwerfen" },
  [L_PLAN_REVIEW] = { NC_("report", "Review of the plan: %s"), "Examen du plan\u00a0: %s", "Beoordeling van het plan: %s", "Prüfung des Plans: %s" },
  [L_V_NOT_STARTED] = { NC_("report", "Not started"), "Non commencée", "Niet begonnen", "Nicht begonnen" },
  [L_V_IN_PROGRESS] = { NC_("report", "In progress"), "En cours", "In uitvoering", "In Bearbeitung" },
  [L_V_DONE] = { NC_("report", "Done"), "Réalisée", "Uitgevoerd", "Erledigt" },
  [L_V_VERIFIED] = { NC_("report", "Verified"), "Vérifiée", "Geverifieerd", "Verifiziert" },
  [L_V_MINOR] = { NC_("report", "Minor"), "Mineure", "Gering", "Geringfügig" },
  [L_V_MAJOR] = { NC_("report", "Major"), "Majeure", "Ernstig", "Schwerwiegend" },
  [L_V_PRIORITY] = { NC_("report", "Priority finding"), "Prioritaire", "Prioritaire bevinding", "Vorrangige Feststellung" },
  [L_V_DRAFT] = { NC_("report", "Draft"), "Brouillon", "Concept", "Entwurf" },
  [L_V_SUBMITTED] = { NC_("report", "Submitted"), "Soumis", "Ingediend", "Eingereicht" },
  [L_V_APPROVED] = { NC_("report", "Approved"), "Approuvé", "Goedgekeurd", "Genehmigt" },
  [L_V_CHANGES_REQUESTED] = { NC_("report", "Changes requested"), "Modifications demandées", "Wijzigingen gevraagd", "Änderungen angefordert" },
  [L_V_REJECTED] = { NC_("report", "Rejected"), "Rejeté", "Afgewezen", "Abgelehnt" },
  [L_V_DISMISSED] = { NC_("report", "Dismissed"), "Écartée", "Verworpen", "Verworfen" },
  [L_LEVEL_NONE] = { NC_("report", "Not assessed"), "Non évalué", "Niet geëvalueerd", "Nicht bewertet" },
  [L_LEVEL_GREY] = { NC_("report", "Not applicable"), "Sans objet", "Niet van toepassing", "Nicht zutreffend" },
  [L_LEVEL_GREEN] = { NC_("report", "Green"), "Vert", "Groen", "Grün" },
  [L_LEVEL_AMBER] = { NC_("report", "Amber"), "Orange", "Oranje", "Gelb" },
  [L_LEVEL_RED] = { NC_("report", "Red"), "Rouge", "Rood", "Rot" },
  [L_LEVEL_INCOMPLETE] = { NC_("report", "Incomplete"), "Incomplet", "Onvolledig", "Unvollständig" },
  [L_MEANING_NONE] = { NC_("report", "No answer, or a question that is not scored"), "Pas de réponse, ou question non notée", "Geen antwoord, of een vraag zonder score", "Keine Antwort oder eine nicht bewertete Frage" },
  [L_MEANING_GREY] = { NC_("report", "Does not apply; not counted"), "Ne s’applique pas\u202f; non compté", "Niet van toepassing; telt niet mee", "Trifft nicht zu; wird nicht gezählt" },
  [L_MEANING_GREEN] = { NC_("report", "Compliant, low risk"), "Conforme, risque faible", "Conform, laag risico", "Konform, geringes Risiko" },
  [L_MEANING_AMBER] = { NC_("report", "Partly compliant, medium risk"), "Partiellement conforme, risque moyen", "Gedeeltelijk conform, gemiddeld risico", "Teilweise konform, mittleres Risiko" },
  [L_MEANING_RED] = { NC_("report", "Non-compliant, high risk"), "Non conforme, risque élevé", "Niet conform, hoog risico", "Nicht konform, hohes Risiko" },
  [L_MEANING_INCOMPLETE] = { NC_("report", "Required questions are unanswered; never green"), "Des questions obligatoires sont sans réponse\u202f; jamais vert", "Verplichte vragen zijn niet beantwoord; nooit groen", "Pflichtfragen sind unbeantwortet; nie grün" },
};

/**
 * dlg_report_export_get_builtin_label:
 * @index: from 0
 * @language: "en" (the msgid, in the "report" context), "fr", "nl" or "de"
 *
 * The fixed labels the PDF prints, as built in, so that a test can hold
 * them to the translations of the same words in po/.
 *
 * Returns: (nullable): the label, or %NULL past the last one or for
 *   another language
 */
const char *
dlg_report_export_get_builtin_label (guint       index,
                                     const char *language)
{
  if (index >= N_LABELS || language == NULL)
    return NULL;
  if (g_str_equal (language, "en"))
    return labels[index].en;
  if (g_str_equal (language, "fr"))
    return labels[index].fr;
  if (g_str_equal (language, "nl"))
    return labels[index].nl;
  if (g_str_equal (language, "de"))
    return labels[index].de;
  return NULL;
}

/* Drawing items and blocks */

typedef enum
{
  ITEM_TEXT,
  ITEM_RECT,
  ITEM_GLYPH,
  ITEM_LINE,
} ItemKind;

/* One thing to draw, relative to its block's top-left corner. */
typedef struct
{
  ItemKind     kind;
  double       x, y, w, h;   /* TEXT: origin; RECT: box; LINE: from (x, y) to (w, h); GLYPH: centre and size w */
  Rgb          colour;       /* TEXT, LINE, RECT fill */
  gboolean     has_stroke;
  Rgb          stroke;
  double       radius;
  double       line_width;
  PangoLayout *layout;       /* TEXT */
  int          line;         /* TEXT: one line of the layout drawn at baseline y, or -1 for all */
  DlgLevel     level;        /* GLYPH */
  gboolean     inverse;      /* GLYPH: white shape with a coloured mark */
} Item;

typedef struct _Block Block;

struct _Block
{
  double   height;
  guint    keep_with_next : 1;
  guint    page_break_before : 1;
  guint    drop_at_top : 1;
  Block   *header;           /* a table header to repeat above a row that starts a page */
  char    *outline;          /* a bookmark for the PDF */
  int      outline_level;
  GArray  *items;
};

typedef struct
{
  Block  *block;
  double  y;
} Placement;

typedef struct
{
  char   *title;
  int     level;
  guint   page;
  double  y;
} OutlineEntry;

/* Decoration of the blocks of one answer: the coloured bar on the left,
 * and a shaded background for comments. */
typedef struct
{
  gboolean bar;
  DlgLevel level;
  gboolean shaded;
} Decor;

typedef enum
{
  F_BODY,
  F_BODY_BOLD,
  F_BODY_ITALIC,
  F_SMALL,
  F_SMALL_BOLD,
  F_CAPS,
  F_MONO,
  F_H1,
  F_H2,
  F_TITLE,
  F_ORG,
  F_BADGE,
  N_FONTS
} FontId;

static const struct {
  const char *description;
  gboolean    caps;
} fonts[N_FONTS] = {
  [F_BODY] = { "Sans 9.5" },
  [F_BODY_BOLD] = { "Sans Bold 9.5" },
  [F_BODY_ITALIC] = { "Sans Italic 9.5" },
  [F_SMALL] = { "Sans 8" },
  [F_SMALL_BOLD] = { "Sans Bold 8" },
  [F_CAPS] = { "Sans Bold 7", TRUE },
  [F_MONO] = { "Monospace 7.5" },
  [F_H1] = { "Sans Bold 15" },
  [F_H2] = { "Sans Bold 11.5" },
  [F_TITLE] = { "Sans Bold 21" },
  [F_ORG] = { "Sans Bold 17" },
  [F_BADGE] = { "Sans Bold 17" },
};

/* Families tried in order; every Debian desktop has at least DejaVu. */
#define SANS_FAMILIES "Noto Sans,Cantarell,Nimbus Sans,DejaVu Sans,Sans"
#define MONO_FAMILIES "Noto Sans Mono,DejaVu Sans Mono,Monospace"

struct _DlgReportRenderer
{
  GObject               parent_instance;

  DlgReport            *report;
  char                 *signer;
  char                 *fingerprint;
  char                 *status;

  int                   language;       /* 0 en, 1 fr, 2 nl, 3 de, -1 other */
  gboolean              decimal_comma;

  PangoFontMap         *font_map;
  PangoContext         *context;
  PangoFontDescription *font_desc[N_FONTS];

  gboolean              laid_out;
  GPtrArray            *blocks;         /* Block* */
  GPtrArray            *pages;          /* GArray of Placement */
  GArray               *outline;        /* OutlineEntry */
};

G_DEFINE_FINAL_TYPE (DlgReportRenderer, dlg_report_renderer, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_REPORT,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static const char *
tr (DlgReportRenderer *self,
    LabelId            id)
{
  const Label *label = &labels[id];

  switch (self->language)
    {
    case 0: return label->en;
    case 1: return label->fr;
    case 2: return label->nl;
    case 3: return label->de;
    default: return g_dpgettext2 (GETTEXT_PACKAGE, "report", label->en);
    }
}

static const char *
level_word (DlgReportRenderer *self,
            DlgLevel           level)
{
  return tr (self, L_LEVEL_NONE + level);
}

static const char *
level_meaning (DlgReportRenderer *self,
               DlgLevel           level)
{
  return tr (self, L_MEANING_NONE + level);
}

/* French sets a (non-breaking) space before a colon. */
static const char *
colon (DlgReportRenderer *self)
{
  return self->language == 1 ? "\u00a0: " : ": ";
}

/* Fills a label's "%s" and "%u" placeholders, in order, with @args. The
 * labels are data, not printf formats: nothing a translator writes can
 * read memory it should not. */
static char *
subst (const char         *format,
       const char * const *args)
{
  GString *out = g_string_new (NULL);
  guint n = 0;

  for (const char *p = format; *p; p++)
    {
      if (p[0] == '%' && (p[1] == 's' || p[1] == 'u') && args[n] != NULL)
        {
          g_string_append (out, args[n++]);
          p++;
        }
      else
        g_string_append_c (out, *p);
    }
  return g_string_free (out, FALSE);
}

static void
item_clear (Item *item)
{
  g_clear_object (&item->layout);
}

static Block *
block_new (double height)
{
  Block *b = g_new0 (Block, 1);

  b->height = height;
  b->items = g_array_new (FALSE, TRUE, sizeof (Item));
  g_array_set_clear_func (b->items, (GDestroyNotify) item_clear);
  return b;
}

static void
block_free (Block *b)
{
  g_array_unref (b->items);
  g_free (b->outline);
  g_free (b);
}

static void
block_text (Block       *b,
            PangoLayout *layout,
            double       x,
            double       y,
            Rgb          colour)
{
  Item item = { .kind = ITEM_TEXT, .x = x, .y = y, .colour = colour, .line = -1 };

  item.layout = g_object_ref (layout);
  g_array_append_val (b->items, item);
}

static void
block_rect (Block      *b,
            double      x,
            double      y,
            double      w,
            double      h,
            Rgb         fill,
            const Rgb  *stroke,
            double      radius)
{
  Item item = { .kind = ITEM_RECT, .x = x, .y = y, .w = w, .h = h, .colour = fill, .radius = radius };

  if (stroke != NULL)
    {
      item.has_stroke = TRUE;
      item.stroke = *stroke;
      item.line_width = 0.75;
    }
  g_array_append_val (b->items, item);
}

static void
block_line (Block  *b,
            double  x1,
            double  y1,
            double  x2,
            double  y2,
            Rgb     colour,
            double  width)
{
  Item item = { .kind = ITEM_LINE, .x = x1, .y = y1, .w = x2, .h = y2, .colour = colour, .line_width = width };

  g_array_append_val (b->items, item);
}

static void
block_glyph (Block    *b,
             DlgLevel  level,
             double    cx,
             double    cy,
             double    size,
             gboolean  inverse)
{
  Item item = { .kind = ITEM_GLYPH, .x = cx, .y = cy, .w = size, .level = level, .inverse = inverse };

  g_array_append_val (b->items, item);
}

/* Puts the answer's bar and shading under what the block already has. */
static void
block_decorate (Block       *b,
                const Decor *decor)
{
  Item items[2];
  guint n = 0;

  if (decor == NULL)
    return;

  if (decor->shaded)
    items[n++] = (Item) { .kind = ITEM_RECT, .x = CARD_INDENT, .y = 0, .w = CONTENT_W - CARD_INDENT,
                          .h = b->height, .colour = shade };
  if (decor->bar)
    items[n++] = (Item) { .kind = ITEM_RECT, .x = 0, .y = 0, .w = 3.5, .h = b->height,
                          .colour = level_colours[decor->level].strong };
  g_array_prepend_vals (b->items, items, n);
}

static void
dlg_report_renderer_finalize (GObject *object)
{
  DlgReportRenderer *self = (DlgReportRenderer *)object;

  g_clear_object (&self->report);
  g_clear_pointer (&self->signer, g_free);
  g_clear_pointer (&self->fingerprint, g_free);
  g_clear_pointer (&self->status, g_free);
  g_clear_pointer (&self->blocks, g_ptr_array_unref);
  g_clear_pointer (&self->pages, g_ptr_array_unref);
  g_clear_pointer (&self->outline, g_array_unref);
  for (guint i = 0; i < N_FONTS; i++)
    g_clear_pointer (&self->font_desc[i], pango_font_description_free);
  g_clear_object (&self->context);
  g_clear_object (&self->font_map);

  G_OBJECT_CLASS (dlg_report_renderer_parent_class)->finalize (object);
}

static void
dlg_report_renderer_get_property (GObject    *object,
                                  guint       prop_id,
                                  GValue     *value,
                                  GParamSpec *pspec)
{
  DlgReportRenderer *self = DLG_REPORT_RENDERER (object);

  switch (prop_id)
    {
    case PROP_REPORT:
      g_value_set_object (value, self->report);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
dlg_report_renderer_set_property (GObject      *object,
                                  guint         prop_id,
                                  const GValue *value,
                                  GParamSpec   *pspec)
{
  DlgReportRenderer *self = DLG_REPORT_RENDERER (object);

  switch (prop_id)
    {
    case PROP_REPORT:
      self->report = g_value_dup_object (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
dlg_report_renderer_constructed (GObject *object)
{
  DlgReportRenderer *self = DLG_REPORT_RENDERER (object);
  static const char * const languages[] = { "en", "fr", "nl", "de" };
  const char *language = dlg_report_get_language (self->report);

  G_OBJECT_CLASS (dlg_report_renderer_parent_class)->constructed (object);

  self->language = -1;
  for (guint i = 0; i < G_N_ELEMENTS (languages); i++)
    if (g_ascii_strncasecmp (language, languages[i], 2) == 0 &&
        (language[2] == '\0' || language[2] == '-'))
      self->language = i;
  self->decimal_comma = self->language > 0;
}

static void
dlg_report_renderer_class_init (DlgReportRendererClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = dlg_report_renderer_finalize;
  object_class->get_property = dlg_report_renderer_get_property;
  object_class->set_property = dlg_report_renderer_set_property;
  object_class->constructed = dlg_report_renderer_constructed;

  properties[PROP_REPORT] =
    g_param_spec_object ("report", NULL, NULL, DLG_TYPE_REPORT,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_EXPLICIT_NOTIFY |
                         G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
dlg_report_renderer_init (DlgReportRenderer *self)
{
  cairo_font_options_t *options = cairo_font_options_create ();

  /* Own font map and context: layout must not depend on the screen, and
   * the renderer may run in a worker thread. Unhinted metrics make text
   * measure the same on paper, in a PDF and in a print preview. */
  self->font_map = pango_cairo_font_map_new ();
  self->context = pango_font_map_create_context (self->font_map);
  pango_cairo_context_set_resolution (self->context, 72.0);
  cairo_font_options_set_hint_metrics (options, CAIRO_HINT_METRICS_OFF);
  cairo_font_options_set_hint_style (options, CAIRO_HINT_STYLE_NONE);
  pango_cairo_context_set_font_options (self->context, options);
  cairo_font_options_destroy (options);
  pango_context_set_round_glyph_positions (self->context, FALSE);

  for (guint i = 0; i < N_FONTS; i++)
    {
      self->font_desc[i] = pango_font_description_from_string (fonts[i].description);
      pango_font_description_set_family (self->font_desc[i],
                                         i == F_MONO ? MONO_FAMILIES : SANS_FAMILIES);
    }
}

/**
 * dlg_report_renderer_new:
 * @report: the report to draw
 *
 * Returns: (transfer full): a renderer that lays @report out on A4 pages
 */
DlgReportRenderer *
dlg_report_renderer_new (DlgReport *report)
{
  g_return_val_if_fail (DLG_IS_REPORT (report), NULL);

  return g_object_new (DLG_TYPE_REPORT_RENDERER, "report", report, NULL);
}

/**
 * dlg_report_renderer_get_report:
 *
 * Returns: (transfer none): the report
 */
DlgReport *
dlg_report_renderer_get_report (DlgReportRenderer *self)
{
  g_return_val_if_fail (DLG_IS_REPORT_RENDERER (self), NULL);
  return self->report;
}

/**
 * dlg_report_renderer_set_signature:
 * @signer: (nullable): who signed the report, e.g. the organisation
 * @fingerprint: (nullable): the signing key's fingerprint, as
 *   dlg_key_get_fingerprint() gives it
 * @status: (nullable): the outcome of verification in words, e.g.
 *   "Signature valid, checked on 2026-03-14"
 *
 * Says what the cover page shows about the signature. Without a signer,
 * the cover says that the copy is not signed.
 */
void
dlg_report_renderer_set_signature (DlgReportRenderer *self,
                                   const char        *signer,
                                   const char        *fingerprint,
                                   const char        *status)
{
  g_return_if_fail (DLG_IS_REPORT_RENDERER (self));

  g_free (self->signer);
  g_free (self->fingerprint);
  g_free (self->status);
  self->signer = g_strdup (signer);
  self->fingerprint = g_strdup (fingerprint);
  self->status = g_strdup (status);
  self->laid_out = FALSE;
}

/* Text */

static PangoLayout *
make_layout (DlgReportRenderer *self,
             FontId             font,
             const char        *text,
             double             width,
             PangoAlignment     alignment)
{
  PangoLayout *layout = pango_layout_new (self->context);
  PangoAttrList *attrs = pango_attr_list_new ();
  g_autofree char *upper = NULL;

  pango_layout_set_font_description (layout, self->font_desc[font]);
  if (width > 0)
    {
      pango_layout_set_width (layout, (int) (width * PANGO_SCALE));
      pango_layout_set_wrap (layout, PANGO_WRAP_WORD_CHAR);
      pango_layout_set_spacing (layout, (int) (LINE_GAP * PANGO_SCALE));
    }
  pango_layout_set_alignment (layout, alignment);

  /* A hyphen inserted into a hash or an answer would change what it says. */
  pango_attr_list_insert (attrs, pango_attr_insert_hyphens_new (FALSE));
  if (fonts[font].caps)
    {
      pango_attr_list_insert (attrs, pango_attr_letter_spacing_new (PANGO_SCALE * 7 / 10));
      text = upper = g_utf8_strup (text, -1);
    }
  pango_layout_set_attributes (layout, attrs);
  pango_attr_list_unref (attrs);

  pango_layout_set_text (layout, text, -1);
  return layout;
}

static double
layout_height (PangoLayout *layout)
{
  int w, h;

  pango_layout_get_size (layout, &w, &h);
  return (double) h / PANGO_SCALE;
}

static double
layout_width (PangoLayout *layout)
{
  int w, h;

  pango_layout_get_size (layout, &w, &h);
  return (double) w / PANGO_SCALE;
}

/* Limits a layout that sits in an unsplittable cell. */
static void
limit_lines (PangoLayout *layout,
             int          lines)
{
  pango_layout_set_height (layout, -lines);
  pango_layout_set_ellipsize (layout, PANGO_ELLIPSIZE_END);
}

static void
add_block (DlgReportRenderer *self,
           Block             *b)
{
  g_ptr_array_add (self->blocks, b);
}

static void
add_space (DlgReportRenderer *self,
           double             height,
           const Decor       *decor)
{
  Block *b = block_new (height);

  b->drop_at_top = TRUE;
  block_decorate (b, decor);
  add_block (self, b);
}

/* Adds @text one line per block, so that it can flow across pages. */
static void
add_paragraph (DlgReportRenderer *self,
               FontId             font,
               const char        *text,
               double             x,
               double             width,
               Rgb                colour,
               const Decor       *decor)
{
  g_autoptr(PangoLayout) layout = make_layout (self, font, text, width, PANGO_ALIGN_LEFT);
  PangoLayoutIter *iter = pango_layout_get_iter (layout);
  int index = 0;

  do
    {
      PangoRectangle logical;
      Block *b;
      Item item = { .kind = ITEM_TEXT, .colour = colour };

      pango_layout_iter_get_line_extents (iter, NULL, &logical);
      b = block_new ((double) logical.height / PANGO_SCALE + LINE_GAP);
      item.layout = g_object_ref (layout);
      item.line = index++;
      item.x = x + (double) logical.x / PANGO_SCALE;
      item.y = (double) (pango_layout_iter_get_baseline (iter) - logical.y) / PANGO_SCALE;
      g_array_append_val (b->items, item);
      block_decorate (b, decor);
      add_block (self, b);
    }
  while (pango_layout_iter_next_line (iter));

  pango_layout_iter_free (iter);
}

static void
add_heading (DlgReportRenderer *self,
             const char        *text,
             gboolean           page_break)
{
  g_autoptr(PangoLayout) layout = make_layout (self, F_H1, text, CONTENT_W, PANGO_ALIGN_LEFT);
  double h = layout_height (layout);
  Block *b = block_new (h + 14);

  block_text (b, layout, 0, 0, navy);
  block_line (b, 0, h + 5, CONTENT_W, h + 5, accent, 1.2);
  b->keep_with_next = TRUE;
  b->page_break_before = page_break;
  b->outline = g_strdup (text);
  b->outline_level = 0;
  add_block (self, b);
}

/* A level as a chip: tinted background, glyph and word. Returns its width. */
static double
add_chip (DlgReportRenderer *self,
          Block             *b,
          DlgLevel           level,
          double             x,
          double             y,
          gboolean           align_right)
{
  const LevelColours *c = &level_colours[level];
  g_autoptr(PangoLayout) word = make_layout (self, F_SMALL_BOLD, level_word (self, level), -1, PANGO_ALIGN_LEFT);
  double w = 5 + 9 + 4 + layout_width (word) + 6;

  if (align_right)
    x -= w;
  block_rect (b, x, y, w, CHIP_H, c->tint, &c->strong, 3);
  block_glyph (b, level, x + 5 + 4.5, y + CHIP_H / 2, 9, FALSE);
  block_text (b, word, x + 5 + 9 + 4, y + (CHIP_H - layout_height (word)) / 2, c->dark);
  return w;
}

static char *
format_score (DlgReportRenderer *self,
              double             score)
{
  char buf[G_ASCII_DTOSTR_BUF_SIZE];

  g_ascii_formatd (buf, sizeof buf, score == floor (score) ? "%.0f" : "%.1f", score);
  if (self->decimal_comma)
    g_strdelimit (buf, ".", ',');
  return g_strdup (buf);
}

/* "2026-03-14T09:26:53Z" → "2026-03-14 09:26 UTC": unambiguous in every
 * language. */
static char *
format_time (const char *timestamp)
{
  return g_strdup_printf ("%.10s %.5s UTC", timestamp, timestamp + 11);
}

/* The cover page */

static void
add_cover_band (DlgReportRenderer *self)
{
  DlgReport *r = self->report;
  g_autoptr(PangoLayout) kind = make_layout (self, F_CAPS, tr (self, L_KIND), CONTENT_W, PANGO_ALIGN_LEFT);
  g_autoptr(PangoLayout) title = make_layout (self, F_TITLE, dlg_report_get_questionnaire_title (r),
                                              CONTENT_W, PANGO_ALIGN_LEFT);
  g_autofree char *version = subst (tr (self, L_VERSION),
                                    (const char * const []) { dlg_report_get_questionnaire_version (r), NULL });
  g_autofree char *subtitle = g_strdup_printf ("%s  ·  %s  ·  %s %s", version,
                                               tr (self, dlg_report_get_quick_scan (r) ? L_QUICK_SCAN : L_FULL),
                                               tr (self, L_PERIOD), dlg_report_get_period (r));
  g_autoptr(PangoLayout) sub = make_layout (self, F_BODY, subtitle, CONTENT_W, PANGO_ALIGN_LEFT);
  /* Absolute page coordinates, made relative to where the block starts. */
  double y = 36 - MARGIN_TOP;
  double band_bottom;
  Block *b;

  limit_lines (title, 3);
  b = block_new (0);
  block_rect (b, -MARGIN_X, -MARGIN_TOP, PAGE_W, 0, navy, NULL, 0);
  block_text (b, kind, 0, y, (Rgb) RGB (0xaec6e4));
  y += layout_height (kind) + 8;
  block_text (b, title, 0, y, white);
  y += layout_height (title) + 6;
  block_text (b, sub, 0, y, (Rgb) RGB (0xdfe6ef));
  y += layout_height (sub);
  band_bottom = y + 22;
  g_array_index (b->items, Item, 0).h = band_bottom + MARGIN_TOP;
  block_rect (b, -MARGIN_X, band_bottom, PAGE_W, 4, accent, NULL, 0);
  b->height = band_bottom + 4 + 26;
  b->outline = g_strdup (tr (self, L_KIND));
  add_block (self, b);
}

static void
add_organisation (DlgReportRenderer *self)
{
  DlgReport *r = self->report;
  g_autoptr(PangoLayout) name = make_layout (self, F_ORG, dlg_report_get_organisation_name (r),
                                             CONTENT_W, PANGO_ALIGN_LEFT);
  g_autoptr(GString) line = g_string_new (NULL);
  g_autoptr(PangoLayout) details = NULL;
  double h;
  Block *b;

  limit_lines (name, 3);
  g_string_append_printf (line, "%s%s%s", tr (self, L_ENTERPRISE_NUMBER), colon (self),
                          dlg_report_get_organisation_id (r));
  if (dlg_report_get_organisation_country (r))
    g_string_append_printf (line, "   ·   %s%s%s", tr (self, L_COUNTRY), colon (self),
                            dlg_report_get_organisation_country (r));
  details = make_layout (self, F_BODY, line->str, CONTENT_W, PANGO_ALIGN_LEFT);

  h = layout_height (name);
  b = block_new (h + 4 + layout_height (details) + 18);
  block_text (b, name, 0, 0, ink);
  block_text (b, details, 0, h + 4, ink_secondary);
  add_block (self, b);
}

typedef struct
{
  const char *label;
  char       *value;
  gboolean    mono;
  gboolean    wide;     /* alone on its row, across the page */
} Fact;

/* Facts two by two, each a small capitals label over its value. */
static void
add_facts (DlgReportRenderer *self,
           Fact              *facts,
           guint              n)
{
  const double gap = 18;
  const double cell_w = (CONTENT_W - gap) / 2;

  for (guint i = 0, per_row; i < n; i += per_row)
    {
      g_autoptr(GPtrArray) layouts = g_ptr_array_new_with_free_func (g_object_unref);
      double row_h = 0;
      Block *b;

      per_row = facts[i].wide || i + 1 == n || facts[i + 1].wide ? 1 : 2;
      for (guint j = i; j < i + per_row; j++)
        {
          double w = facts[j].wide ? CONTENT_W : cell_w;
          PangoLayout *label = make_layout (self, F_CAPS, facts[j].label, w, PANGO_ALIGN_LEFT);
          PangoLayout *value = make_layout (self, facts[j].mono ? F_MONO : F_BODY, facts[j].value,
                                            w, PANGO_ALIGN_LEFT);

          limit_lines (value, MAX_CELL_LINES);
          row_h = MAX (row_h, layout_height (label) + 3 + layout_height (value));
          g_ptr_array_add (layouts, label);
          g_ptr_array_add (layouts, value);
        }

      b = block_new (row_h + 12);
      block_line (b, 0, 0, CONTENT_W, 0, rule_colour, 0.5);
      for (guint k = 0; k < layouts->len; k += 2)
        {
          PangoLayout *label = g_ptr_array_index (layouts, k);
          double x = (k / 2) * (cell_w + gap);

          block_text (b, label, x, 6, ink_secondary);
          block_text (b, g_ptr_array_index (layouts, k + 1), x, 6 + layout_height (label) + 3, ink);
        }
      add_block (self, b);
    }
}

static void
add_cover_facts (DlgReportRenderer *self)
{
  DlgReport *r = self->report;
  Fact facts[10];
  guint n = 0;
  g_autoptr(GString) recipients = g_string_new (NULL);
  g_autoptr(GString) contact = g_string_new (NULL);

  for (guint i = 0; i < dlg_report_get_n_recipients (r); i++)
    {
      const DlgParty *p = dlg_report_get_recipient (r, i);

      g_string_append_printf (recipients, "%s%s (%s)", i > 0 ? "\n" : "", p->name, p->id);
    }
  if (dlg_report_get_contact_name (r))
    g_string_append (contact, dlg_report_get_contact_name (r));
  if (dlg_report_get_contact_email (r))
    g_string_append_printf (contact, "%s%s", contact->len ? "\n" : "", dlg_report_get_contact_email (r));

  facts[n++] = (Fact) { tr (self, L_RECIPIENTS),
                        g_strdup (recipients->len ? recipients->str : tr (self, L_NO_RECIPIENT)) };
  facts[n++] = (Fact) { tr (self, L_CONTACT), g_strdup (contact->len ? contact->str : "—") };
  facts[n++] = (Fact) { tr (self, L_PERIOD), g_strdup (dlg_report_get_period (r)) };
  facts[n++] = (Fact) { tr (self, L_SCOPE),
                        g_strdup (tr (self, dlg_report_get_quick_scan (r) ? L_QUICK_SCAN : L_FULL)) };
  {
    g_autofree char *version = subst (tr (self, L_VERSION), (const char * const []) {
                                        dlg_report_get_questionnaire_version (r), NULL });

    facts[n++] = (Fact) { tr (self, L_QUESTIONNAIRE),
                          g_strdup_printf ("%s  ·  %s", dlg_report_get_questionnaire_id (r), version) };
  }
  facts[n++] = (Fact) { tr (self, L_CREATED), format_time (dlg_report_get_created_at (r)) };
  facts[n++] = (Fact) { tr (self, L_REPORT_ID), g_strdup (dlg_report_get_id (r)), TRUE };
  if (dlg_report_get_supersedes (r))
    facts[n++] = (Fact) { tr (self, L_SUPERSEDES), g_strdup (dlg_report_get_supersedes (r)), TRUE };
  facts[n++] = (Fact) { tr (self, L_QUESTIONNAIRE_SHA), g_strdup (dlg_report_get_questionnaire_sha256 (r)), TRUE, TRUE };

  add_facts (self, facts, n);
  for (guint i = 0; i < n; i++)
    g_free (facts[i].value);
  add_space (self, 14, NULL);
}

static void
add_badge (DlgReportRenderer *self)
{
  DlgReport *r = self->report;
  DlgLevel level = dlg_report_get_level (r);
  const LevelColours *c = &level_colours[level];
  const double badge_w = 168, text_x = badge_w + 20, text_w = CONTENT_W - text_x;
  g_autoptr(PangoLayout) caption = make_layout (self, F_CAPS, tr (self, L_OVERALL), CONTENT_W, PANGO_ALIGN_LEFT);
  g_autoptr(PangoLayout) word = make_layout (self, F_BADGE, level_word (self, level), badge_w - 16, PANGO_ALIGN_CENTER);
  g_autoptr(GPtrArray) lines = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GArray) colours = g_array_new (FALSE, FALSE, sizeof (Rgb));
  g_autofree char *score_text = NULL;
  g_autofree char *progress = NULL;
  double score, y, text_h = 0, badge_h, top;
  PangoLayout *l;
  Block *b;

  l = make_layout (self, F_H2, level_meaning (self, level), text_w, PANGO_ALIGN_LEFT);
  g_ptr_array_add (lines, l);
  g_array_append_val (colours, ink);

  if (dlg_report_get_score (r, &score))
    {
      g_autofree char *number = format_score (self, score);

      score_text = subst (tr (self, L_SCORE), (const char * const []) { number, NULL });
    }
  l = make_layout (self, F_BODY, score_text ? score_text : tr (self, L_NO_SCORE), text_w, PANGO_ALIGN_LEFT);
  g_ptr_array_add (lines, l);
  g_array_append_val (colours, ink);

  {
    g_autofree char *answered = g_strdup_printf ("%u", dlg_report_get_n_required_answered (r));
    g_autofree char *required = g_strdup_printf ("%u", dlg_report_get_n_required (r));

    progress = subst (tr (self, L_PROGRESS), (const char * const []) { answered, required, NULL });
  }
  l = make_layout (self, F_BODY, progress, text_w, PANGO_ALIGN_LEFT);
  g_ptr_array_add (lines, l);
  g_array_append_val (colours, ink);

  /* An incomplete result says where the answers so far are heading. */
  if (level == DLG_LEVEL_INCOMPLETE && dlg_level_is_colour (dlg_report_get_level_if_complete (r)))
    {
      g_autofree char *text = subst (tr (self, L_PROVISIONAL), (const char * const []) {
                                       level_word (self, dlg_report_get_level_if_complete (r)), NULL });

      l = make_layout (self, F_BODY_ITALIC, text, text_w, PANGO_ALIGN_LEFT);
      g_ptr_array_add (lines, l);
      g_array_append_val (colours, ink_secondary);
    }

  if (dlg_report_get_critical_finding (r))
    {
      l = make_layout (self, F_BODY_BOLD, tr (self, L_CRITICAL), text_w - 16, PANGO_ALIGN_LEFT);
      g_ptr_array_add (lines, l);
      g_array_append_val (colours, level_colours[DLG_LEVEL_RED].dark);
    }

  for (guint i = 0; i < lines->len; i++)
    text_h += layout_height (g_ptr_array_index (lines, i)) + (i == 0 ? 6 : 3);

  top = layout_height (caption) + 8;
  badge_h = MAX (96, text_h + 8);
  b = block_new (top + badge_h + 22);
  block_text (b, caption, 0, 0, ink_secondary);
  block_rect (b, 0, top, badge_w, badge_h, c->strong, NULL, 6);
  block_glyph (b, level, badge_w / 2, top + badge_h / 2 - 14, 30, TRUE);
  block_text (b, word, 8, top + badge_h / 2 + 8, white);

  y = top + 2;
  for (guint i = 0; i < lines->len; i++)
    {
      double x = text_x;

      l = g_ptr_array_index (lines, i);
      if (dlg_report_get_critical_finding (r) && i == lines->len - 1)
        {
          block_glyph (b, DLG_LEVEL_RED, text_x + 5, y + 6.5, 10, FALSE);
          x += 16;
        }
      block_text (b, l, x, y, g_array_index (colours, Rgb, i));
      y += layout_height (l) + (i == 0 ? 6 : 3);
    }
  add_block (self, b);
}

static void
add_signature_box (DlgReportRenderer *self)
{
  const double pad = 12, label_w = 128, inner_w = CONTENT_W - 2 * pad;
  g_autoptr(PangoLayout) caption = make_layout (self, F_CAPS, tr (self, L_SIGNATURE), inner_w, PANGO_ALIGN_LEFT);
  g_autoptr(PangoLayout) how = make_layout (self, F_SMALL, tr (self, L_HOW_TO_VERIFY), inner_w, PANGO_ALIGN_LEFT);
  g_autoptr(GPtrArray) rows = g_ptr_array_new_with_free_func (g_object_unref);
  double y, h;
  Block *b;

  if (self->signer != NULL)
    {
      const char *values[] = { self->signer, self->fingerprint, self->status };
      LabelId names[] = { L_SIGNED_BY, L_FINGERPRINT, L_VERIFICATION };

      for (guint i = 0; i < G_N_ELEMENTS (values); i++)
        {
          if (values[i] == NULL)
            continue;
          g_ptr_array_add (rows, make_layout (self, F_SMALL_BOLD, tr (self, names[i]), label_w, PANGO_ALIGN_LEFT));
          g_ptr_array_add (rows, make_layout (self, i == 1 ? F_MONO : F_BODY, values[i],
                                              inner_w - label_w, PANGO_ALIGN_LEFT));
        }
    }
  else
    g_ptr_array_add (rows, make_layout (self, F_BODY_BOLD, tr (self, L_NOT_SIGNED), inner_w, PANGO_ALIGN_LEFT));

  h = pad + layout_height (caption) + 8;
  for (guint i = 0; i < rows->len; i += self->signer ? 2 : 1)
    {
      double rh = layout_height (g_ptr_array_index (rows, i));

      if (self->signer)
        rh = MAX (rh, layout_height (g_ptr_array_index (rows, i + 1)));
      h += rh + 5;
    }
  h += 4 + layout_height (how) + pad;

  b = block_new (h);
  block_rect (b, 0, 0, CONTENT_W, h, shade, &rule_colour, 5);
  block_text (b, caption, pad, pad, ink_secondary);
  y = pad + layout_height (caption) + 8;
  for (guint i = 0; i < rows->len; i += self->signer ? 2 : 1)
    {
      PangoLayout *first = g_ptr_array_index (rows, i);
      double rh = layout_height (first);

      block_text (b, first, pad, y, ink);
      if (self->signer)
        {
          PangoLayout *value = g_ptr_array_index (rows, i + 1);

          block_text (b, value, pad + label_w, y + (i == 2 ? 1 : 0), ink);
          rh = MAX (rh, layout_height (value));
        }
      y += rh + 5;
    }
  block_text (b, how, pad, y + 4, ink_secondary);
  add_block (self, b);
}

/* Results by section */

static Block *
table_header (DlgReportRenderer *self,
              const LabelId     *names,
              const double      *widths,
              guint              n)
{
  g_autoptr(GPtrArray) layouts = g_ptr_array_new_with_free_func (g_object_unref);
  double h = 0, x = 0;
  Block *b;

  for (guint i = 0; i < n; i++)
    {
      PangoLayout *l = make_layout (self, F_CAPS, tr (self, names[i]), widths[i] - 10, PANGO_ALIGN_LEFT);

      h = MAX (h, layout_height (l));
      g_ptr_array_add (layouts, l);
    }

  b = block_new (h + 10);
  block_rect (b, 0, 0, CONTENT_W, h + 10, shade, NULL, 0);
  for (guint i = 0; i < n; i++)
    {
      block_text (b, g_ptr_array_index (layouts, i), x + 5, 5, ink_secondary);
      x += widths[i];
    }
  block_line (b, 0, h + 10, CONTENT_W, h + 10, rule_colour, 0.75);
  b->keep_with_next = TRUE;
  return b;
}

/* A level cell: the whole cell tinted, with glyph and word. */
static void
level_cell (DlgReportRenderer *self,
            Block             *b,
            DlgLevel           level,
            double             x,
            double             w,
            double             h)
{
  const LevelColours *c = &level_colours[level];
  g_autoptr(PangoLayout) word = make_layout (self, F_SMALL_BOLD, level_word (self, level), w - 30, PANGO_ALIGN_LEFT);

  block_rect (b, x + 2, 2, w - 4, h - 4, c->tint, NULL, 2);
  block_glyph (b, level, x + 13, h / 2, 11, FALSE);
  block_text (b, word, x + 24, (h - layout_height (word)) / 2, c->dark);
}

static void
add_section_table (DlgReportRenderer *self)
{
  static const LabelId names[] = { L_SECTION, L_LEVEL, L_SCORE_COLUMN, L_ANSWERED_COLUMN };
  static const double widths[] = { CONTENT_W - 120 - 60 - 120, 120, 60, 120 };
  DlgReport *r = self->report;
  Block *header = table_header (self, names, widths, G_N_ELEMENTS (names));

  add_block (self, header);
  for (guint i = 0; i < dlg_report_get_n_sections (r); i++)
    {
      const DlgReportSection *s = dlg_report_get_section (r, i);
      g_autoptr(PangoLayout) title = make_layout (self, F_BODY, s->title, widths[0] - 10, PANGO_ALIGN_LEFT);
      g_autofree char *score = s->has_score ? format_score (self, s->score) : g_strdup ("—");
      g_autoptr(PangoLayout) score_l = make_layout (self, F_BODY, score, widths[2] - 14, PANGO_ALIGN_RIGHT);
      g_autofree char *answered = g_strdup_printf ("%u / %u", s->n_answered, s->n_questions);
      g_autoptr(PangoLayout) answered_l = make_layout (self, F_BODY, answered, widths[3] - 10, PANGO_ALIGN_LEFT);
      const struct { DlgLevel level; guint n; } counts[] = {
        { DLG_LEVEL_GREEN, s->n_green }, { DLG_LEVEL_AMBER, s->n_amber },
        { DLG_LEVEL_RED, s->n_red }, { DLG_LEVEL_GREY, s->n_grey },
      };
      double h, x, cx;
      Block *b;

      limit_lines (title, MAX_CELL_LINES);
      h = MAX (layout_height (title) + 12, 38);
      b = block_new (h);
      x = 0;
      block_text (b, title, x + 5, 6, ink);
      x += widths[0];
      level_cell (self, b, s->level, x, widths[1], h);
      x += widths[1];
      block_text (b, score_l, x + 4, 6, ink);
      x += widths[2];
      block_text (b, answered_l, x + 5, 6, ink);

      /* The counts per level, each a glyph and a number; the legend
       * below says what the glyphs mean. */
      cx = x + 5;
      for (guint k = 0; k < G_N_ELEMENTS (counts); k++)
        {
          g_autofree char *n = g_strdup_printf ("%u", counts[k].n);
          g_autoptr(PangoLayout) nl = make_layout (self, F_SMALL, n, -1, PANGO_ALIGN_LEFT);

          block_glyph (b, counts[k].level, cx + 4, 6 + layout_height (answered_l) + 8, 8, FALSE);
          block_text (b, nl, cx + 10, 6 + layout_height (answered_l) + 8 - layout_height (nl) / 2, ink_secondary);
          cx += 12 + layout_width (nl) + 6;
        }

      block_line (b, 0, h, CONTENT_W, h, rule_colour, 0.5);
      b->header = header;
      add_block (self, b);
    }
}

static void
add_legend (DlgReportRenderer *self)
{
  static const DlgLevel levels[] = {
    DLG_LEVEL_GREEN, DLG_LEVEL_AMBER, DLG_LEVEL_RED, DLG_LEVEL_GREY, DLG_LEVEL_INCOMPLETE,
  };
  g_autoptr(PangoLayout) caption = make_layout (self, F_CAPS, tr (self, L_LEGEND), CONTENT_W, PANGO_ALIGN_LEFT);
  Block *b;

  add_space (self, 12, NULL);
  b = block_new (layout_height (caption) + 5);
  block_text (b, caption, 0, 0, ink_secondary);
  b->keep_with_next = TRUE;
  add_block (self, b);

  for (guint i = 0; i < G_N_ELEMENTS (levels); i++)
    {
      g_autoptr(PangoLayout) meaning = make_layout (self, F_SMALL, level_meaning (self, levels[i]),
                                                    CONTENT_W - 110, PANGO_ALIGN_LEFT);

      b = block_new (MAX (CHIP_H, layout_height (meaning)) + 4);
      add_chip (self, b, levels[i], 0, 0, FALSE);
      block_text (b, meaning, 110, (CHIP_H - layout_height (meaning)) / 2, ink);
      b->keep_with_next = i + 1 < G_N_ELEMENTS (levels);
      add_block (self, b);
    }
}

static void
add_findings (DlgReportRenderer *self)
{
  DlgReport *r = self->report;
  const double text_x = 100;

  add_space (self, 16, NULL);
  add_heading (self, tr (self, L_FINDINGS), FALSE);

  if (dlg_report_get_n_findings (r) == 0)
    {
      add_paragraph (self, F_BODY, tr (self, L_NO_FINDINGS), 0, CONTENT_W, ink, NULL);
      return;
    }

  for (guint i = 0; i < dlg_report_get_n_findings (r); i++)
    {
      const DlgReportFinding *f = dlg_report_get_finding (r, i);
      g_autoptr(PangoLayout) text = make_layout (self, F_BODY, f->text, CONTENT_W - text_x, PANGO_ALIGN_LEFT);
      g_autoptr(PangoLayout) id = make_layout (self, F_SMALL, f->question_id, CONTENT_W - text_x, PANGO_ALIGN_LEFT);
      double h;
      Block *b;

      limit_lines (text, MAX_CELL_LINES);
      h = layout_height (id) + layout_height (text);
      b = block_new (MAX (h, CHIP_H) + 12);
      add_chip (self, b, f->level, 0, 5, FALSE);
      block_text (b, id, text_x, 5, ink_secondary);
      block_text (b, text, text_x, 5 + layout_height (id), ink);
      if (f->critical)
        {
          g_autoptr(PangoLayout) tag = make_layout (self, F_CAPS, tr (self, L_ZERO_TOLERANCE), text_x - 8,
                                                    PANGO_ALIGN_LEFT);

          block_text (b, tag, 0, 5 + CHIP_H + 3, level_colours[DLG_LEVEL_RED].dark);
          b->height = MAX (b->height, 5 + CHIP_H + 3 + layout_height (tag) + 7);
        }
      block_line (b, 0, b->height, CONTENT_W, b->height, rule_colour, 0.5);
      add_block (self, b);
    }
}

/* Answers */

static void
add_section_heading (DlgReportRenderer      *self,
                     const DlgReportSection *s)
{
  g_autoptr(PangoLayout) title = make_layout (self, F_H2, s->title, CONTENT_W - 130, PANGO_ALIGN_LEFT);
  double h = MAX (layout_height (title), CHIP_H);
  Block *b = block_new (14 + h + 10);

  block_text (b, title, 0, 14, navy);
  add_chip (self, b, s->level, CONTENT_W, 14 + (h - CHIP_H) / 2, TRUE);
  block_line (b, 0, 14 + h + 4, CONTENT_W, 14 + h + 4, rule_colour, 0.75);
  b->keep_with_next = TRUE;
  b->outline = g_strdup (s->title);
  b->outline_level = 1;
  add_block (self, b);
}

static void
add_labelled (DlgReportRenderer *self,
              LabelId            label,
              const Decor       *decor)
{
  g_autoptr(PangoLayout) l = make_layout (self, F_CAPS, tr (self, label), CONTENT_W, PANGO_ALIGN_LEFT);
  Block *b = block_new (layout_height (l) + 4);

  block_text (b, l, CARD_INDENT + (decor && decor->shaded ? 6 : 0), 3, ink_secondary);
  b->keep_with_next = TRUE;
  block_decorate (b, decor);
  add_block (self, b);
}

static void
add_answer (DlgReportRenderer     *self,
            const DlgReportAnswer *a)
{
  const double text_w = CONTENT_W - CARD_INDENT - 120;
  Decor decor = { TRUE, a->level, FALSE };
  g_autoptr(GString) tags = g_string_new (a->question_id);
  g_autoptr(PangoLayout) tag_l = NULL;
  g_autoptr(PangoLayout) question = make_layout (self, F_BODY_BOLD, a->text, text_w, PANGO_ALIGN_LEFT);
  double h;
  Block *b;

  if (a->required)
    g_string_append_printf (tags, "  ·  %s", tr (self, L_REQUIRED));
  if (a->critical)
    g_string_append_printf (tags, "  ·  %s", tr (self, L_ZERO_TOLERANCE));
  tag_l = make_layout (self, F_SMALL, tags->str, text_w, PANGO_ALIGN_LEFT);

  /* The question is one block with the level chip, kept with the answer;
   * a question longer than a page is cut rather than lost off the page. */
  limit_lines (question, 40);
  h = layout_height (tag_l) + 2 + layout_height (question);
  b = block_new (4 + MAX (h, CHIP_H) + 4);
  block_text (b, tag_l, CARD_INDENT, 4, ink_secondary);
  block_text (b, question, CARD_INDENT, 4 + layout_height (tag_l) + 2, ink);
  add_chip (self, b, a->level, CONTENT_W, 4, TRUE);
  b->keep_with_next = TRUE;
  block_decorate (b, &decor);
  add_block (self, b);

  if (a->display == NULL)
    add_paragraph (self, F_BODY_ITALIC, tr (self, L_NOT_ANSWERED), CARD_INDENT, CONTENT_W - CARD_INDENT,
                   ink_secondary, &decor);
  else if (a->display[0] != NULL && a->display[1] != NULL)
    for (guint i = 0; a->display[i]; i++)
      {
        g_autofree char *item = g_strdup_printf ("•  %s", a->display[i]);

        add_paragraph (self, F_BODY, item, CARD_INDENT, CONTENT_W - CARD_INDENT, ink, &decor);
      }
  else
    add_paragraph (self, F_BODY, a->display[0], CARD_INDENT, CONTENT_W - CARD_INDENT, ink, &decor);

  if (a->comment != NULL)
    {
      Decor shaded = decor;

      shaded.shaded = TRUE;
      add_space (self, 4, &decor);
      add_labelled (self, L_COMMENT, &shaded);
      add_paragraph (self, F_BODY, a->comment, CARD_INDENT + 6, CONTENT_W - CARD_INDENT - 12, ink, &shaded);
      add_space (self, 4, &shaded);
    }

  if (a->n_evidence > 0)
    {
      add_space (self, 4, &decor);
      add_labelled (self, L_EVIDENCE, &decor);
      for (guint i = 0; i < a->n_evidence; i++)
        {
          g_autoptr(PangoLayout) name = make_layout (self, F_SMALL, a->evidence[i].name,
                                                     CONTENT_W - CARD_INDENT - 8, PANGO_ALIGN_LEFT);
          g_autofree char *hash = g_strdup_printf ("SHA-256 %s", a->evidence[i].sha256);
          g_autoptr(PangoLayout) hash_l = make_layout (self, F_MONO, hash, CONTENT_W - CARD_INDENT - 8,
                                                       PANGO_ALIGN_LEFT);

          limit_lines (name, 3);
          b = block_new (layout_height (name) + layout_height (hash_l) + 3);
          block_text (b, name, CARD_INDENT, 0, ink);
          block_text (b, hash_l, CARD_INDENT, layout_height (name), ink_secondary);
          block_decorate (b, &decor);
          add_block (self, b);
        }
    }

  add_space (self, 5, &decor);
  add_space (self, 9, NULL);
}

static void
add_answers (DlgReportRenderer *self)
{
  DlgReport *r = self->report;
  g_autoptr(GHashTable) by_section = g_hash_table_new_full (g_str_hash, g_str_equal, NULL,
                                                            (GDestroyNotify) g_ptr_array_unref);

  /* Answers by section in one pass: a report of thousands of questions
   * in hundreds of sections is laid out in linear time. */
  for (guint j = 0; j < dlg_report_get_n_answers (r); j++)
    {
      const DlgReportAnswer *a = dlg_report_get_answer (r, j);
      GPtrArray *answers = g_hash_table_lookup (by_section, a->section_id);

      if (answers == NULL)
        {
          answers = g_ptr_array_new ();
          g_hash_table_insert (by_section, (gpointer) a->section_id, answers);
        }
      g_ptr_array_add (answers, (gpointer) a);
    }

  add_heading (self, tr (self, L_ANSWERS), TRUE);
  for (guint i = 0; i < dlg_report_get_n_sections (r); i++)
    {
      const DlgReportSection *s = dlg_report_get_section (r, i);
      GPtrArray *answers = g_hash_table_lookup (by_section, s->id);

      add_section_heading (self, s);
      add_space (self, 6, NULL);
      for (guint j = 0; answers && j < answers->len; j++)
        add_answer (self, g_ptr_array_index (answers, j));
    }
}

/* The action plan, read generically: the report carries whatever the
 * plan's own format (docs/action-plan-format.md) says, and an older or
 * newer plan still prints. Known members get labels; others are shown
 * under their own names. */

static const struct {
  const char *value;
  LabelId     label;
} plan_values[] = {
  { "not_started", L_V_NOT_STARTED }, { "in_progress", L_V_IN_PROGRESS }, { "done", L_V_DONE },
  { "verified", L_V_VERIFIED }, { "minor", L_V_MINOR }, { "major", L_V_MAJOR },
  { "priority", L_V_PRIORITY }, { "draft", L_V_DRAFT }, { "submitted", L_V_SUBMITTED },
  { "approved", L_V_APPROVED }, { "changes_requested", L_V_CHANGES_REQUESTED },
  { "rejected", L_V_REJECTED }, { "dismissed", L_V_DISMISSED },
};

static const struct {
  const char *member;
  LabelId     label;
} plan_members[] = {
  { "root_cause", L_ROOT_CAUSE }, { "corrective_action", L_CORRECTIVE_ACTION },
  { "preventive_action", L_PREVENTIVE_ACTION }, { "dismissal_reason", L_DISMISSAL_REASON },
  { "findings", L_FINDINGS }, { "priority", L_PRIORITY }, { "review_state", L_REVIEW },
  { "start_date", L_START }, { "notes", L_NOTES }, { "evidence", L_EVIDENCE },
};

/* Members shown in their own column, or not at all. */
static const char * const plan_columns[] = {
  "id", "title", "finding", "description", "name", "status", "state", "owner_name", "owner_email",
  "owner", "responsible", "due_date", "due", "deadline", "disposition", "carried_from", "priority", NULL
};

static char *
humanise (const char *key)
{
  char *text = g_strdup (key);

  g_strdelimit (text, "_-", ' ');
  if (g_ascii_islower (text[0]))
    text[0] = g_ascii_toupper (text[0]);
  return text;
}

static char *
plan_value (DlgReportRenderer *self,
            const char        *value)
{
  for (guint i = 0; i < G_N_ELEMENTS (plan_values); i++)
    if (strcmp (value, plan_values[i].value) == 0)
      return g_strdup (tr (self, plan_values[i].label));
  return g_strdup (value);
}

static const char *
first_string (JsonObject          *o,
              const char * const  *names)
{
  for (guint i = 0; names[i]; i++)
    {
      JsonNode *node = json_object_get_member (o, names[i]);

      if (node && JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING &&
          *json_node_get_string (node))
        return json_node_get_string (node);
    }
  return NULL;
}

/* A JSON value as text: scalars as themselves, arrays of scalars joined,
 * objects of scalars as their values joined ("2026-03-01: site visited"). */
static char *
node_text (DlgReportRenderer *self,
           JsonNode          *node,
           int                depth)
{
  switch (JSON_NODE_TYPE (node))
    {
    case JSON_NODE_VALUE:
      switch (json_node_get_value_type (node))
        {
        case G_TYPE_STRING: return plan_value (self, json_node_get_string (node));
        case G_TYPE_INT64: return g_strdup_printf ("%" G_GINT64_FORMAT, json_node_get_int (node));
        case G_TYPE_DOUBLE:
          {
            char buf[G_ASCII_DTOSTR_BUF_SIZE];

            return g_strdup (g_ascii_formatd (buf, sizeof buf, "%g", json_node_get_double (node)));
          }
        case G_TYPE_BOOLEAN: return g_strdup (json_node_get_boolean (node) ? "✓" : "✗");
        default: return NULL;
        }

    case JSON_NODE_ARRAY:
      {
        JsonArray *array = json_node_get_array (node);
        g_autoptr(GString) out = g_string_new (NULL);
        gboolean objects = FALSE;

        if (depth > 1)
          return NULL;
        for (guint i = 0; i < json_array_get_length (array); i++)
          {
            JsonNode *e = json_array_get_element (array, i);
            g_autofree char *text = node_text (self, e, depth + 1);

            if (text == NULL || *text == '\0')
              continue;
            objects = objects || JSON_NODE_HOLDS_OBJECT (e);
            if (out->len > 0)
              g_string_append (out, objects ? "\n" : ", ");
            g_string_append (out, text);
          }
        return out->len ? g_string_free (g_steal_pointer (&out), FALSE) : NULL;
      }

    case JSON_NODE_OBJECT:
      {
        JsonObject *o = json_node_get_object (node);
        g_autoptr(GList) members = json_object_get_members (o);
        g_autoptr(GString) out = g_string_new (NULL);

        if (depth > 2)
          return NULL;
        for (GList *l = members; l; l = l->next)
          {
            JsonNode *m = json_object_get_member (o, l->data);
            g_autofree char *text = JSON_NODE_HOLDS_VALUE (m) ? node_text (self, m, depth + 1) : NULL;

            if (text == NULL || *text == '\0')
              continue;
            if (out->len > 0)
              g_string_append (out, ": ");
            g_string_append (out, text);
          }
        return out->len ? g_string_free (g_steal_pointer (&out), FALSE) : NULL;
      }

    case JSON_NODE_NULL:
    default:
      return NULL;
    }
}

/* "Label: text" with the label in bold, as one wrapping paragraph. */
static PangoLayout *
labelled_layout (DlgReportRenderer *self,
                 const char        *label,
                 const char        *text,
                 double             width)
{
  g_autofree char *head = g_strconcat (label, colon (self), NULL);
  g_autofree char *all = g_strconcat (head, text, NULL);
  PangoLayout *layout = make_layout (self, F_SMALL, all, width, PANGO_ALIGN_LEFT);
  PangoAttrList *attrs = pango_attr_list_copy (pango_layout_get_attributes (layout));
  PangoAttribute *bold = pango_attr_weight_new (PANGO_WEIGHT_BOLD);

  bold->start_index = 0;
  bold->end_index = strlen (head);
  pango_attr_list_insert (attrs, bold);
  pango_layout_set_attributes (layout, attrs);
  pango_attr_list_unref (attrs);
  return layout;
}

static void
add_action_row (DlgReportRenderer *self,
                Block             *header,
                const double      *widths,
                JsonObject        *action)
{
  static const char * const title_names[] = { "title", "finding", "description", "name", NULL };
  static const char * const status_names[] = { "status", "state", NULL };
  static const char * const owner_names[] = { "owner_name", "owner", "responsible", NULL };
  static const char * const due_names[] = { "due_date", "due", "deadline", NULL };
  const char *title = first_string (action, title_names);
  const char *status = first_string (action, status_names);
  const char *disposition = first_string (action, (const char * const []) { "disposition", NULL });
  const char *owner = first_string (action, owner_names);
  const char *email = first_string (action, (const char * const []) { "owner_email", NULL });
  const char *due = first_string (action, due_names);
  const char *id = first_string (action, (const char * const []) { "id", NULL });
  g_autoptr(GPtrArray) cell = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GArray) cell_colours = g_array_new (FALSE, FALSE, sizeof (Rgb));
  g_autoptr(GList) members = json_object_get_members (action);
  g_autofree char *status_text = NULL;
  g_autofree char *owner_text = NULL;
  PangoLayout *l;
  double w = widths[0] - 10, h = 0, y;
  Block *b;

#define CELL(layout_, colour) \
  G_STMT_START { l = (layout_); limit_lines (l, MAX_CELL_LINES); \
                 g_ptr_array_add (cell, l); g_array_append_val (cell_colours, colour); } G_STMT_END

  {
    const char *priority = first_string (action, (const char * const []) { "priority", NULL });
    g_autofree char *priority_text = priority ? plan_value (self, priority) : NULL;
    g_autofree char *line = g_strjoin ("  ·  ", id ? id : "", priority_text, NULL);

    if (id || priority)
      CELL (make_layout (self, F_SMALL, id && priority ? line : id ? id : priority_text, w, PANGO_ALIGN_LEFT),
            ink_secondary);
  }
  CELL (make_layout (self, F_BODY_BOLD, title ? title : "—", w, PANGO_ALIGN_LEFT), ink);

  /* Known members first, in a useful order, then any others. */
  for (guint i = 0; i < G_N_ELEMENTS (plan_members); i++)
    {
      JsonNode *node = json_object_get_member (action, plan_members[i].member);
      g_autofree char *text = NULL;

      if (strcmp (plan_members[i].member, "priority") == 0 || node == NULL ||
          !(text = node_text (self, node, 0)) || *text == '\0')
        continue;
      CELL (labelled_layout (self, tr (self, plan_members[i].label), text, w), ink);
    }
  for (GList *m = members; m; m = m->next)
    {
      g_autofree char *text = NULL;
      g_autofree char *label = NULL;
      gboolean known = g_strv_contains (plan_columns, m->data);

      for (guint i = 0; !known && i < G_N_ELEMENTS (plan_members); i++)
        known = strcmp (m->data, plan_members[i].member) == 0;
      if (known || g_str_has_prefix (m->data, "x-"))
        continue;
      text = node_text (self, json_object_get_member (action, m->data), 0);
      if (text == NULL || *text == '\0')
        continue;
      label = humanise (m->data);
      CELL (labelled_layout (self, label, text, w), ink);
    }
#undef CELL

  for (guint i = 0; i < cell->len; i++)
    h += layout_height (g_ptr_array_index (cell, i)) + 2;

  if (disposition && strcmp (disposition, "dismissed") == 0)
    status_text = plan_value (self, disposition);
  else
    status_text = status ? plan_value (self, status) : g_strdup ("—");
  owner_text = owner && email ? g_strdup_printf ("%s\n%s", owner, email)
                              : g_strdup (owner ? owner : email ? email : "—");

  {
    g_autoptr(PangoLayout) status_l = make_layout (self, F_BODY, status_text, widths[1] - 10, PANGO_ALIGN_LEFT);
    g_autoptr(PangoLayout) owner_l = make_layout (self, F_BODY, owner_text, widths[2] - 10, PANGO_ALIGN_LEFT);
    g_autoptr(PangoLayout) due_l = make_layout (self, F_BODY, due ? due : "—", widths[3] - 10, PANGO_ALIGN_LEFT);
    double x = 0;

    limit_lines (owner_l, 6);
    h = MAX (h, MAX (layout_height (status_l), MAX (layout_height (owner_l), layout_height (due_l))));
    b = block_new (h + 14);
    y = 7;
    for (guint i = 0; i < cell->len; i++)
      {
        l = g_ptr_array_index (cell, i);
        block_text (b, l, 5, y, g_array_index (cell_colours, Rgb, i));
        y += layout_height (l) + 2;
      }
    x += widths[0];
    block_text (b, status_l, x + 5, 7, ink);
    x += widths[1];
    block_text (b, owner_l, x + 5, 7, ink);
    x += widths[2];
    block_text (b, due_l, x + 5, 7, ink);
  }

  block_line (b, 0, b->height, CONTENT_W, b->height, rule_colour, 0.5);
  b->header = header;
  add_block (self, b);
}

static void
add_action_plan (DlgReportRenderer *self)
{
  static const LabelId names[] = { L_ACTION, L_STATUS, L_RESPONSIBLE, L_DUE };
  static const double widths[] = { CONTENT_W - 85 - 110 - 72, 85, 110, 72 };
  JsonNode *plan = dlg_report_get_action_plan (self->report);
  JsonObject *o;
  JsonArray *actions = NULL;
  const char *review;
  guint shown = 0;
  Block *header;

  if (plan == NULL || !JSON_NODE_HOLDS_OBJECT (plan))
    return;
  o = json_node_get_object (plan);

  add_heading (self, tr (self, L_ACTION_PLAN), TRUE);

  review = first_string (o, (const char * const []) { "review_state", "status", NULL });
  if (review != NULL)
    {
      g_autofree char *value = plan_value (self, review);
      g_autofree char *text = subst (tr (self, L_PLAN_REVIEW), (const char * const []) { value, NULL });

      add_paragraph (self, F_BODY_BOLD, text, 0, CONTENT_W, ink, NULL);
      add_space (self, 8, NULL);
    }

  if (json_object_has_member (o, "actions") && JSON_NODE_HOLDS_ARRAY (json_object_get_member (o, "actions")))
    actions = json_object_get_array_member (o, "actions");
  else
    {
      /* A plan of another shape: its first array of objects. */
      g_autoptr(GList) members = json_object_get_members (o);

      for (GList *m = members; m && !actions; m = m->next)
        {
          JsonNode *node = json_object_get_member (o, m->data);

          if (JSON_NODE_HOLDS_ARRAY (node) && json_array_get_length (json_node_get_array (node)) > 0 &&
              JSON_NODE_HOLDS_OBJECT (json_array_get_element (json_node_get_array (node), 0)))
            actions = json_node_get_array (node);
        }
    }

  header = table_header (self, names, widths, G_N_ELEMENTS (names));
  add_block (self, header);
  for (guint i = 0; actions && i < json_array_get_length (actions); i++)
    {
      JsonNode *node = json_array_get_element (actions, i);
      const char *disposition;

      if (!JSON_NODE_HOLDS_OBJECT (node))
        continue;
      /* A proposal nobody accepted is not part of the plan. */
      disposition = first_string (json_node_get_object (node), (const char * const []) { "disposition", NULL });
      if (g_strcmp0 (disposition, "proposed") == 0)
        continue;
      add_action_row (self, header, widths, json_node_get_object (node));
      shown++;
    }

  if (shown == 0)
    {
      add_space (self, 6, NULL);
      add_paragraph (self, F_BODY_ITALIC, tr (self, L_NO_ACTIONS), 0, CONTENT_W, ink_secondary, NULL);
    }
}

/* Pagination */

static void
paginate (DlgReportRenderer *self)
{
  const double top = MARGIN_TOP, bottom = PAGE_H - MARGIN_BOTTOM;
  GArray *page = NULL;
  double y = top;

#define NEW_PAGE() \
  G_STMT_START { page = g_array_new (FALSE, FALSE, sizeof (Placement)); \
                 g_ptr_array_add (self->pages, page); y = top; } G_STMT_END

  NEW_PAGE ();
  for (guint i = 0; i < self->blocks->len; i++)
    {
      Block *b = g_ptr_array_index (self->blocks, i);
      double need = 0;
      Placement p;

      if (b->page_break_before && page->len > 0)
        NEW_PAGE ();
      if (b->drop_at_top && page->len == 0)
        continue;

      /* A heading goes with what follows it, and so on down a chain. */
      for (guint j = i; j < self->blocks->len; j++)
        {
          Block *next = g_ptr_array_index (self->blocks, j);

          need += next->height;
          if (!next->keep_with_next)
            break;
        }
      need = MIN (need, bottom - top);
      if (y + need > bottom + 0.01 && page->len > 0)
        {
          NEW_PAGE ();
          if (b->drop_at_top)
            continue;
        }

      if (page->len == 0 && b->header != NULL)
        {
          p = (Placement) { b->header, y };
          g_array_append_val (page, p);
          y += b->header->height;
        }

      if (b->outline != NULL)
        {
          OutlineEntry e = { g_strdup (b->outline), b->outline_level, self->pages->len - 1, y };

          g_array_append_val (self->outline, e);
        }

      p = (Placement) { b, y };
      g_array_append_val (page, p);
      y += b->height;
    }
#undef NEW_PAGE
}

static void
outline_entry_clear (OutlineEntry *e)
{
  g_free (e->title);
}

static void
ensure_layout (DlgReportRenderer *self)
{
  if (self->laid_out)
    return;

  g_clear_pointer (&self->blocks, g_ptr_array_unref);
  g_clear_pointer (&self->pages, g_ptr_array_unref);
  g_clear_pointer (&self->outline, g_array_unref);
  self->blocks = g_ptr_array_new_with_free_func ((GDestroyNotify) block_free);
  self->pages = g_ptr_array_new_with_free_func ((GDestroyNotify) g_array_unref);
  self->outline = g_array_new (FALSE, FALSE, sizeof (OutlineEntry));
  g_array_set_clear_func (self->outline, (GDestroyNotify) outline_entry_clear);

  add_cover_band (self);
  add_organisation (self);
  add_cover_facts (self);
  add_badge (self);
  add_signature_box (self);

  add_heading (self, tr (self, L_RESULTS), TRUE);
  add_section_table (self);
  add_legend (self);
  add_findings (self);
  add_answers (self);
  add_action_plan (self);

  paginate (self);
  self->laid_out = TRUE;
}

/**
 * dlg_report_renderer_get_n_pages:
 *
 * Returns: how many A4 pages the report takes, at least two: the cover
 *   and the results
 */
guint
dlg_report_renderer_get_n_pages (DlgReportRenderer *self)
{
  g_return_val_if_fail (DLG_IS_REPORT_RENDERER (self), 0);

  ensure_layout (self);
  return self->pages->len;
}

/* Drawing */

static void
set_colour (cairo_t *cr,
            Rgb      c)
{
  cairo_set_source_rgb (cr, c.r, c.g, c.b);
}

static void
rounded_rect (cairo_t *cr,
              double   x,
              double   y,
              double   w,
              double   h,
              double   r)
{
  r = MIN (r, MIN (w, h) / 2);
  if (r <= 0)
    {
      cairo_rectangle (cr, x, y, w, h);
      return;
    }
  cairo_new_sub_path (cr);
  cairo_arc (cr, x + w - r, y + r, r, -G_PI / 2, 0);
  cairo_arc (cr, x + w - r, y + h - r, r, 0, G_PI / 2);
  cairo_arc (cr, x + r, y + h - r, r, G_PI / 2, G_PI);
  cairo_arc (cr, x + r, y + r, r, G_PI, 3 * G_PI / 2);
  cairo_close_path (cr);
}

/* Each level has its own shape as well as its own colour, so that the
 * glyphs differ in black and white and for colour-blind readers. */
static void
draw_glyph (cairo_t  *cr,
            DlgLevel  level,
            double    cx,
            double    cy,
            double    s,
            gboolean  inverse)
{
  Rgb shape = inverse ? white : level_colours[level].strong;
  Rgb mark = inverse ? level_colours[level].strong : white;
  double r = s / 2;

  cairo_save (cr);
  cairo_set_line_cap (cr, CAIRO_LINE_CAP_ROUND);
  cairo_set_line_join (cr, CAIRO_LINE_JOIN_ROUND);

  switch (level)
    {
    case DLG_LEVEL_AMBER:
      cairo_move_to (cr, cx, cy - r);
      cairo_line_to (cr, cx + r * 1.05, cy + r * 0.85);
      cairo_line_to (cr, cx - r * 1.05, cy + r * 0.85);
      cairo_close_path (cr);
      break;
    case DLG_LEVEL_RED:
      for (int i = 0; i < 8; i++)
        {
          double a = G_PI / 8 + i * G_PI / 4;

          if (i == 0)
            cairo_move_to (cr, cx + r * cos (a), cy + r * sin (a));
          else
            cairo_line_to (cr, cx + r * cos (a), cy + r * sin (a));
        }
      cairo_close_path (cr);
      break;
    case DLG_LEVEL_NONE:
    case DLG_LEVEL_GREY:
    case DLG_LEVEL_GREEN:
    case DLG_LEVEL_INCOMPLETE:
    default:
      cairo_arc (cr, cx, cy, r, 0, 2 * G_PI);
      break;
    }

  set_colour (cr, shape);
  if (level == DLG_LEVEL_NONE)
    {
      cairo_set_line_width (cr, s * 0.1);
      cairo_stroke (cr);
      cairo_restore (cr);
      return;
    }
  cairo_fill (cr);

  set_colour (cr, mark);
  cairo_set_line_width (cr, s * 0.13);
  switch (level)
    {
    case DLG_LEVEL_GREEN:
      cairo_move_to (cr, cx - s * 0.22, cy + s * 0.01);
      cairo_line_to (cr, cx - s * 0.06, cy + s * 0.17);
      cairo_line_to (cr, cx + s * 0.23, cy - s * 0.15);
      cairo_stroke (cr);
      break;
    case DLG_LEVEL_AMBER:
      cairo_move_to (cr, cx, cy - s * 0.17);
      cairo_line_to (cr, cx, cy + s * 0.12);
      cairo_stroke (cr);
      cairo_arc (cr, cx, cy + s * 0.3, s * 0.07, 0, 2 * G_PI);
      cairo_fill (cr);
      break;
    case DLG_LEVEL_RED:
      cairo_move_to (cr, cx - s * 0.17, cy - s * 0.17);
      cairo_line_to (cr, cx + s * 0.17, cy + s * 0.17);
      cairo_move_to (cr, cx + s * 0.17, cy - s * 0.17);
      cairo_line_to (cr, cx - s * 0.17, cy + s * 0.17);
      cairo_stroke (cr);
      break;
    case DLG_LEVEL_GREY:
      cairo_move_to (cr, cx - s * 0.22, cy);
      cairo_line_to (cr, cx + s * 0.22, cy);
      cairo_stroke (cr);
      break;
    case DLG_LEVEL_INCOMPLETE:
      for (int i = -1; i <= 1; i++)
        {
          cairo_new_sub_path (cr);
          cairo_arc (cr, cx + i * s * 0.22, cy, s * 0.075, 0, 2 * G_PI);
        }
      cairo_fill (cr);
      break;
    case DLG_LEVEL_NONE:
    default:
      break;
    }
  cairo_restore (cr);
}

static void
draw_block (cairo_t *cr,
            Block   *b,
            double   x0,
            double   y0)
{
  for (guint i = 0; i < b->items->len; i++)
    {
      Item *item = &g_array_index (b->items, Item, i);

      switch (item->kind)
        {
        case ITEM_TEXT:
          set_colour (cr, item->colour);
          cairo_move_to (cr, x0 + item->x, y0 + item->y);
          if (item->line < 0)
            pango_cairo_show_layout (cr, item->layout);
          else
            pango_cairo_show_layout_line (cr, pango_layout_get_line_readonly (item->layout, item->line));
          break;

        case ITEM_RECT:
          rounded_rect (cr, x0 + item->x, y0 + item->y, item->w, item->h, item->radius);
          set_colour (cr, item->colour);
          if (item->has_stroke)
            {
              cairo_fill_preserve (cr);
              set_colour (cr, item->stroke);
              cairo_set_line_width (cr, item->line_width);
              cairo_stroke (cr);
            }
          else
            cairo_fill (cr);
          break;

        case ITEM_LINE:
          set_colour (cr, item->colour);
          cairo_set_line_width (cr, item->line_width);
          cairo_move_to (cr, x0 + item->x, y0 + item->y);
          cairo_line_to (cr, x0 + item->w, y0 + item->h);
          cairo_stroke (cr);
          break;

        case ITEM_GLYPH:
          draw_glyph (cr, item->level, x0 + item->x, y0 + item->y, item->w, item->inverse);
          break;

        default:
          g_return_if_reached ();
        }
    }
}

static void
draw_running_text (DlgReportRenderer *self,
                   cairo_t           *cr,
                   guint              page_index)
{
  DlgReport *r = self->report;
  g_autofree char *number = g_strdup_printf ("%u", page_index + 1);
  g_autofree char *count = g_strdup_printf ("%u", self->pages->len);
  g_autofree char *page_text = subst (tr (self, L_PAGE), (const char * const []) { number, count, NULL });
  g_autofree char *left_text = g_strdup_printf ("%s  ·  %s  ·  %s", dlg_report_get_organisation_name (r),
                                                dlg_report_get_questionnaire_title (r), dlg_report_get_period (r));
  g_autofree char *id_text = g_strdup_printf ("%s %s", tr (self, L_REPORT_ID), dlg_report_get_id (r));
  g_autoptr(PangoLayout) page = make_layout (self, F_SMALL_BOLD, page_text, 110, PANGO_ALIGN_RIGHT);
  g_autoptr(PangoLayout) left = make_layout (self, F_SMALL, left_text, CONTENT_W - 120, PANGO_ALIGN_LEFT);
  g_autoptr(PangoLayout) id = make_layout (self, F_SMALL, id_text, CONTENT_W - 120, PANGO_ALIGN_LEFT);
  const double footer_y = PAGE_H - MARGIN_BOTTOM + 20;

  pango_layout_set_ellipsize (left, PANGO_ELLIPSIZE_END);
  pango_layout_set_height (left, -1);

  set_colour (cr, rule_colour);
  cairo_set_line_width (cr, 0.75);
  cairo_move_to (cr, MARGIN_X, footer_y - 6);
  cairo_line_to (cr, PAGE_W - MARGIN_X, footer_y - 6);
  cairo_stroke (cr);

  set_colour (cr, ink_secondary);
  cairo_move_to (cr, MARGIN_X, footer_y);
  pango_cairo_show_layout (cr, left);
  cairo_move_to (cr, MARGIN_X, footer_y + layout_height (left) + 1);
  pango_cairo_show_layout (cr, id);
  set_colour (cr, ink);
  cairo_move_to (cr, PAGE_W - MARGIN_X - 110, footer_y);
  pango_cairo_show_layout (cr, page);

  if (page_index > 0)
    {
      g_autoptr(PangoLayout) org = make_layout (self, F_SMALL_BOLD, dlg_report_get_organisation_name (r),
                                                CONTENT_W / 2, PANGO_ALIGN_LEFT);
      g_autofree char *right_text = g_strdup_printf ("%s  ·  %s", tr (self, L_KIND), dlg_report_get_period (r));
      g_autoptr(PangoLayout) right = make_layout (self, F_SMALL, right_text, CONTENT_W / 2, PANGO_ALIGN_RIGHT);
      const double header_y = 30;

      pango_layout_set_ellipsize (org, PANGO_ELLIPSIZE_END);
      pango_layout_set_height (org, -1);
      set_colour (cr, navy);
      cairo_move_to (cr, MARGIN_X, header_y);
      pango_cairo_show_layout (cr, org);
      set_colour (cr, ink_secondary);
      cairo_move_to (cr, MARGIN_X + CONTENT_W / 2, header_y);
      pango_cairo_show_layout (cr, right);

      set_colour (cr, accent);
      cairo_set_line_width (cr, 1);
      cairo_move_to (cr, MARGIN_X, header_y + layout_height (org) + 5);
      cairo_line_to (cr, PAGE_W - MARGIN_X, header_y + layout_height (org) + 5);
      cairo_stroke (cr);
    }
}

/**
 * dlg_report_render_page:
 * @self: a renderer
 * @cr: a cairo context whose user space is in points, origin at the top
 *   left corner of an A4 page (a GtkPrintOperation with
 *   `gtk_print_operation_set_unit (op, GTK_UNIT_POINTS)` and a full page)
 * @page_index: from 0 to dlg_report_renderer_get_n_pages() - 1
 *
 * Draws one page. The state of @cr is restored afterwards.
 */
void
dlg_report_render_page (DlgReportRenderer *self,
                        cairo_t           *cr,
                        guint              page_index)
{
  GArray *page;

  g_return_if_fail (DLG_IS_REPORT_RENDERER (self));
  g_return_if_fail (cr != NULL);

  ensure_layout (self);
  g_return_if_fail (page_index < self->pages->len);

  page = g_ptr_array_index (self->pages, page_index);
  cairo_save (cr);
  for (guint i = 0; i < page->len; i++)
    {
      Placement *p = &g_array_index (page, Placement, i);

      draw_block (cr, p->block, MARGIN_X, p->y);
    }
  draw_running_text (self, cr, page_index);
  cairo_restore (cr);
}

static cairo_status_t
write_to_array (void                *closure,
                const unsigned char *data,
                unsigned int         length)
{
  g_byte_array_append (closure, data, length);
  return CAIRO_STATUS_SUCCESS;
}

static GBytes *
render_pdf (DlgReportRenderer  *self,
            GCancellable       *cancellable,
            GError            **error)
{
  g_autoptr(GByteArray) pdf = g_byte_array_new ();
  g_autofree char *subject = NULL;
  cairo_surface_t *surface;
  cairo_status_t status;
  cairo_t *cr;
  int parents[2] = { CAIRO_PDF_OUTLINE_ROOT, CAIRO_PDF_OUTLINE_ROOT };
  DlgReport *r;

  ensure_layout (self);
  r = self->report;

  surface = cairo_pdf_surface_create_for_stream (write_to_array, pdf, PAGE_W, PAGE_H);
  subject = g_strdup_printf ("%s, %s", tr (self, L_KIND), dlg_report_get_period (r));
  cairo_pdf_surface_set_metadata (surface, CAIRO_PDF_METADATA_TITLE, dlg_report_get_questionnaire_title (r));
  cairo_pdf_surface_set_metadata (surface, CAIRO_PDF_METADATA_AUTHOR, dlg_report_get_organisation_name (r));
  cairo_pdf_surface_set_metadata (surface, CAIRO_PDF_METADATA_SUBJECT, subject);
  cairo_pdf_surface_set_metadata (surface, CAIRO_PDF_METADATA_KEYWORDS, dlg_report_get_id (r));
  cairo_pdf_surface_set_metadata (surface, CAIRO_PDF_METADATA_CREATOR, "Diligence " PACKAGE_VERSION);
  /* The report's own time, so that the same report gives the same PDF. */
  cairo_pdf_surface_set_metadata (surface, CAIRO_PDF_METADATA_CREATE_DATE, dlg_report_get_created_at (r));

  cr = cairo_create (surface);
  for (guint i = 0; i < self->pages->len; i++)
    {
      if (g_cancellable_is_cancelled (cancellable))
        break;
      dlg_report_render_page (self, cr, i);
      cairo_show_page (cr);
    }

  for (guint i = 0; i < self->outline->len; i++)
    {
      OutlineEntry *e = &g_array_index (self->outline, OutlineEntry, i);
      g_autofree char *link = g_strdup_printf ("page=%u pos=[%.1f %.1f]", e->page + 1, MARGIN_X, e->y);
      int id = cairo_pdf_surface_add_outline (surface, parents[MIN (e->level, 1)], e->title, link,
                                              e->level == 0 ? CAIRO_PDF_OUTLINE_FLAG_OPEN : 0);

      if (e->level == 0)
        parents[1] = id;
    }

  status = cairo_status (cr);
  cairo_destroy (cr);
  cairo_surface_finish (surface);
  if (status == CAIRO_STATUS_SUCCESS)
    status = cairo_surface_status (surface);
  cairo_surface_destroy (surface);

  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    return NULL;
  if (status != CAIRO_STATUS_SUCCESS)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED,
                   _("Could not draw the report as PDF: %s"), cairo_status_to_string (status));
      return NULL;
    }
  return g_byte_array_free_to_bytes (g_steal_pointer (&pdf));
}

/**
 * dlg_report_renderer_to_pdf:
 *
 * Renders every page into a PDF document with the report's metadata and
 * bookmarks for the sections.
 *
 * Returns: (transfer full): the PDF, or %NULL with @error set
 */
GBytes *
dlg_report_renderer_to_pdf (DlgReportRenderer  *self,
                            GError            **error)
{
  g_return_val_if_fail (DLG_IS_REPORT_RENDERER (self), NULL);

  return render_pdf (self, NULL, error);
}

static gboolean
write_bytes (const char  *path,
             GBytes      *bytes,
             GError     **error)
{
  gsize size;
  const void *data = g_bytes_get_data (bytes, &size);

  return dlg_file_write (path, data, size, error);
}

/**
 * dlg_report_export_pdf:
 * @report: a report
 * @signer: (nullable): see dlg_report_renderer_set_signature()
 * @fingerprint: (nullable): the signing key's fingerprint
 * @status: (nullable): the verification status in words
 * @path: where to write the PDF
 * @error: a #GError
 *
 * Writes @report as an A4 PDF, atomically.
 *
 * Returns: %TRUE on success
 */
gboolean
dlg_report_export_pdf (DlgReport   *report,
                       const char  *signer,
                       const char  *fingerprint,
                       const char  *status,
                       const char  *path,
                       GError     **error)
{
  g_autoptr(DlgReportRenderer) renderer = NULL;
  g_autoptr(GBytes) pdf = NULL;

  g_return_val_if_fail (DLG_IS_REPORT (report), FALSE);
  g_return_val_if_fail (path != NULL, FALSE);

  renderer = dlg_report_renderer_new (report);
  dlg_report_renderer_set_signature (renderer, signer, fingerprint, status);
  if (!(pdf = dlg_report_renderer_to_pdf (renderer, error)))
    return FALSE;
  return write_bytes (path, pdf, error);
}

typedef struct
{
  char *signer;
  char *fingerprint;
  char *status;
  char *path;
} PdfExport;

static void
pdf_export_free (PdfExport *e)
{
  g_free (e->signer);
  g_free (e->fingerprint);
  g_free (e->status);
  g_free (e->path);
  g_free (e);
}

static void
export_pdf_thread (GTask        *task,
                   gpointer      source_object,
                   gpointer      task_data,
                   GCancellable *cancellable)
{
  PdfExport *e = task_data;
  g_autoptr(DlgReportRenderer) renderer = dlg_report_renderer_new (source_object);
  g_autoptr(GBytes) pdf = NULL;
  GError *error = NULL;

  dlg_report_renderer_set_signature (renderer, e->signer, e->fingerprint, e->status);
  if (!(pdf = render_pdf (renderer, cancellable, &error)) ||
      g_cancellable_set_error_if_cancelled (cancellable, &error) ||
      !write_bytes (e->path, pdf, &error))
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

/**
 * dlg_report_export_pdf_async:
 * @report: a report
 * @signer: (nullable): see dlg_report_renderer_set_signature()
 * @fingerprint: (nullable): the signing key's fingerprint
 * @status: (nullable): the verification status in words
 * @path: where to write the PDF
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when the file is written, or not
 * @user_data: data for @callback
 *
 * Like dlg_report_export_pdf(), in a worker thread: a report of thousands
 * of questions takes seconds to draw. A report never changes, so it is
 * safe to share with the thread. When cancelled, nothing is written.
 */
void
dlg_report_export_pdf_async (DlgReport           *report,
                             const char          *signer,
                             const char          *fingerprint,
                             const char          *status,
                             const char          *path,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  PdfExport *e;

  g_return_if_fail (DLG_IS_REPORT (report));
  g_return_if_fail (path != NULL);
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  e = g_new0 (PdfExport, 1);
  e->signer = g_strdup (signer);
  e->fingerprint = g_strdup (fingerprint);
  e->status = g_strdup (status);
  e->path = g_strdup (path);

  task = g_task_new (report, cancellable, callback, user_data);
  g_task_set_source_tag (task, dlg_report_export_pdf_async);
  g_task_set_task_data (task, e, (GDestroyNotify) pdf_export_free);
  g_task_run_in_thread (task, export_pdf_thread);
}

/**
 * dlg_report_export_pdf_finish:
 *
 * Returns: %TRUE if the PDF was written
 */
gboolean
dlg_report_export_pdf_finish (DlgReport     *report,
                              GAsyncResult  *result,
                              GError       **error)
{
  g_return_val_if_fail (DLG_IS_REPORT (report), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, report), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == dlg_report_export_pdf_async, FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

/* CSV (RFC 4180) */

/* Appends one cell. A cell a spreadsheet would take for a formula gets an
 * apostrophe in front, which spreadsheets hide and which makes the cell
 * text: a supplier's comment must never run as a formula on a buyer's
 * computer. */
static void
append_cell (GString    *out,
             const char *text)
{
  gboolean quote;

  if (text == NULL)
    text = "";
  quote = strpbrk (text, ",\"\r\n") != NULL;

  if (quote)
    g_string_append_c (out, '"');
  if (strchr ("=+-@\t\r", text[0]) != NULL && text[0] != '\0')
    g_string_append_c (out, '\'');
  for (const char *p = text; *p; p++)
    {
      if (*p == '"')
        g_string_append_c (out, '"');
      g_string_append_c (out, *p);
    }
  if (quote)
    g_string_append_c (out, '"');
}

static void
append_record (GString            *out,
               const char * const *cells,
               guint               n)
{
  for (guint i = 0; i < n; i++)
    {
      if (i > 0)
        g_string_append_c (out, ',');
      append_cell (out, cells[i]);
    }
  g_string_append (out, "\r\n");
}

static char *
value_text (JsonNode *value)
{
  g_autoptr(GBytes) bytes = NULL;
  gsize size;
  const char *data;

  if (value == NULL)
    return g_strdup ("");
  if (JSON_NODE_HOLDS_VALUE (value) && json_node_get_value_type (value) == G_TYPE_STRING)
    return g_strdup (json_node_get_string (value));
  if (JSON_NODE_HOLDS_ARRAY (value))
    {
      JsonArray *array = json_node_get_array (value);
      g_autoptr(GString) out = g_string_new (NULL);

      for (guint i = 0; i < json_array_get_length (array); i++)
        g_string_append_printf (out, "%s%s", i ? ";" : "", json_array_get_string_element (array, i));
      return g_string_free (g_steal_pointer (&out), FALSE);
    }

  bytes = dlg_payload_serialize (value, FALSE);
  data = g_bytes_get_data (bytes, &size);
  return g_strndup (data, size);
}

/**
 * dlg_report_to_csv:
 *
 * The answers as comma-separated values (RFC 4180): UTF-8, CRLF line ends,
 * a header row, one row per visible question in questionnaire order.
 * Cells that a spreadsheet would run as a formula are made text.
 *
 * Returns: (transfer full): the CSV
 */
GBytes *
dlg_report_to_csv (DlgReport *report)
{
  static const char * const header[] = {
    "section_id", "section", "question_id", "question", "type", "required", "critical",
    "value", "answer", "level", "comment", "evidence",
  };
  GString *out = g_string_new (NULL);

  g_return_val_if_fail (DLG_IS_REPORT (report), NULL);

  append_record (out, header, G_N_ELEMENTS (header));
  for (guint i = 0; i < dlg_report_get_n_answers (report); i++)
    {
      const DlgReportAnswer *a = dlg_report_get_answer (report, i);
      const DlgReportSection *s = dlg_report_lookup_section (report, a->section_id);
      g_autofree char *value = value_text (a->value);
      g_autofree char *display = a->display ? g_strjoinv ("; ", (char **) a->display) : g_strdup ("");
      g_autoptr(GString) evidence = g_string_new (NULL);
      const char *cells[G_N_ELEMENTS (header)];

      for (guint j = 0; j < a->n_evidence; j++)
        g_string_append_printf (evidence, "%s%s (sha256:%s)", j ? "; " : "",
                                a->evidence[j].name, a->evidence[j].sha256);

      cells[0] = a->section_id;
      cells[1] = s ? s->title : "";
      cells[2] = a->question_id;
      cells[3] = a->text;
      cells[4] = a->type;
      cells[5] = a->required ? "true" : "false";
      cells[6] = a->critical ? "true" : "false";
      cells[7] = value;
      cells[8] = display;
      cells[9] = dlg_level_to_string (a->level);
      cells[10] = a->comment;
      cells[11] = evidence->str;
      append_record (out, cells, G_N_ELEMENTS (cells));
    }
  return g_string_free_to_bytes (out);
}

/**
 * dlg_report_export_csv:
 *
 * Writes dlg_report_to_csv() to @path atomically.
 *
 * Returns: %TRUE on success
 */
gboolean
dlg_report_export_csv (DlgReport   *report,
                       const char  *path,
                       GError     **error)
{
  g_autoptr(GBytes) csv = NULL;

  g_return_val_if_fail (DLG_IS_REPORT (report), FALSE);
  g_return_val_if_fail (path != NULL, FALSE);

  csv = dlg_report_to_csv (report);
  return write_bytes (path, csv, error);
}

/**
 * dlg_report_export_json:
 *
 * Writes the payload, pretty-printed, to @path atomically. It reads the
 * same as the signed payload but is not its exact bytes: to prove what was
 * sent, keep the .jws file.
 *
 * Returns: %TRUE on success
 */
gboolean
dlg_report_export_json (DlgReport   *report,
                        const char  *path,
                        GError     **error)
{
  g_autoptr(GBytes) json = NULL;

  g_return_val_if_fail (DLG_IS_REPORT (report), FALSE);
  g_return_val_if_fail (path != NULL, FALSE);

  json = dlg_report_to_pretty_json (report);
  return write_bytes (path, json, error);
}
