/* dlg-report.c - a due-diligence report: what is signed and sent
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A report is its payload bytes (docs/report-format.md). Those bytes are
 * what gets signed, so a DlgReport never changes once made: a correction
 * is a new report that names the one it supersedes.
 *
 * Building writes the payload and then reads it back through the same
 * strict parser as a payload from a stranger. Every accessor is therefore
 * filled by one code path, and a report we build is always one we accept.
 *
 * The payload is self-contained: questions, option labels and section
 * titles are copied in the report's language, so that a buyer can read,
 * print and archive it without the questionnaire, and what was signed is
 * what is shown.
 */

#define G_LOG_DOMAIN "dlg-report"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <math.h>
#include <string.h>

#include "dlg-payload-private.h"
#include "dlg-report.h"

G_STATIC_ASSERT ((int) DLG_REPORT_ERROR_SYNTAX == (int) DLG_PAYLOAD_ERROR_SYNTAX);
G_STATIC_ASSERT ((int) DLG_REPORT_ERROR_TOO_LARGE == (int) DLG_PAYLOAD_ERROR_TOO_LARGE);
G_STATIC_ASSERT ((int) DLG_REPORT_ERROR_FORMAT == (int) DLG_PAYLOAD_ERROR_FORMAT);
G_STATIC_ASSERT ((int) DLG_REPORT_ERROR_MISSING_MEMBER == (int) DLG_PAYLOAD_ERROR_MISSING_MEMBER);
G_STATIC_ASSERT ((int) DLG_REPORT_ERROR_UNKNOWN_MEMBER == (int) DLG_PAYLOAD_ERROR_UNKNOWN_MEMBER);
G_STATIC_ASSERT ((int) DLG_REPORT_ERROR_WRONG_TYPE == (int) DLG_PAYLOAD_ERROR_WRONG_TYPE);
G_STATIC_ASSERT ((int) DLG_REPORT_ERROR_INVALID_VALUE == (int) DLG_PAYLOAD_ERROR_INVALID_VALUE);

/* Limits on single strings, in bytes. */
#define MAX_NAME     1024
#define MAX_TITLE    4096
#define MAX_QUESTION (64 * 1024)
#define MAX_SHORT    64

struct _DlgReport
{
  GObject     parent_instance;

  GBytes     *payload;
  DlgJsonDoc *doc;              /* the strings below are borrowed from it */

  const char *id;
  const char *supersedes;
  const char *created_at;
  GDateTime  *created_at_dt;
  const char *app_version;

  const char *org_name;
  const char *org_id;
  const char *org_country;
  const char *contact_name;
  const char *contact_email;
  GPtrArray  *recipients;       /* DlgParty* */

  const char *period;
  const char *language;
  gboolean    quick_scan;

  const char *questionnaire_id;
  const char *questionnaire_version;
  const char *questionnaire_sha256;
  const char *questionnaire_title;

  GArray     *answers;          /* DlgReportAnswer */
  GHashTable *answer_index;     /* question id → index + 1 */

  DlgLevel    level;
  DlgLevel    level_if_complete;
  gboolean    has_score;
  double      score;
  gboolean    complete;
  gboolean    critical_finding;
  guint       n_required;
  guint       n_required_answered;
  GArray     *sections;         /* DlgReportSection */
  GHashTable *section_index;    /* section id → index + 1 */
  GArray     *findings;         /* DlgReportFinding */

  JsonNode   *action_plan;
};

G_DEFINE_FINAL_TYPE (DlgReport, dlg_report, G_TYPE_OBJECT)

G_DEFINE_QUARK (dlg-report-error-quark, dlg_report_error)

enum {
  PROP_0,
  PROP_ID,
  PROP_SUPERSEDES,
  PROP_PERIOD,
  PROP_LANGUAGE,
  PROP_ORGANISATION_NAME,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/**
 * dlg_party_new:
 *
 * Returns: (transfer full): a new party
 */
DlgParty *
dlg_party_new (const char *name,
               const char *id)
{
  DlgParty *party = g_new0 (DlgParty, 1);

  party->name = g_strdup (name);
  party->id = g_strdup (id);
  return party;
}

DlgParty *
dlg_party_copy (const DlgParty *party)
{
  return party ? dlg_party_new (party->name, party->id) : NULL;
}

void
dlg_party_free (DlgParty *party)
{
  if (party == NULL)
    return;
  g_free (party->name);
  g_free (party->id);
  g_free (party);
}

static void
answer_clear (DlgReportAnswer *answer)
{
  g_clear_pointer (&answer->value, json_node_unref);
}

static void
dlg_report_finalize (GObject *object)
{
  DlgReport *self = (DlgReport *)object;

  g_clear_pointer (&self->payload, g_bytes_unref);
  g_clear_pointer (&self->created_at_dt, g_date_time_unref);
  g_clear_pointer (&self->recipients, g_ptr_array_unref);
  g_clear_pointer (&self->answers, g_array_unref);
  g_clear_pointer (&self->answer_index, g_hash_table_unref);
  g_clear_pointer (&self->sections, g_array_unref);
  g_clear_pointer (&self->section_index, g_hash_table_unref);
  g_clear_pointer (&self->findings, g_array_unref);
  g_clear_pointer (&self->action_plan, json_node_unref);
  /* Last: everything above may point into it. */
  g_clear_pointer (&self->doc, dlg_json_doc_unref);

  G_OBJECT_CLASS (dlg_report_parent_class)->finalize (object);
}

static void
dlg_report_get_property (GObject    *object,
                         guint       prop_id,
                         GValue     *value,
                         GParamSpec *pspec)
{
  DlgReport *self = DLG_REPORT (object);

  switch (prop_id)
    {
    case PROP_ID:
      g_value_set_string (value, self->id);
      break;
    case PROP_SUPERSEDES:
      g_value_set_string (value, self->supersedes);
      break;
    case PROP_PERIOD:
      g_value_set_string (value, self->period);
      break;
    case PROP_LANGUAGE:
      g_value_set_string (value, self->language);
      break;
    case PROP_ORGANISATION_NAME:
      g_value_set_string (value, self->org_name);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
dlg_report_class_init (DlgReportClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = dlg_report_finalize;
  object_class->get_property = dlg_report_get_property;

  /* Read-only: a report never changes once made. */
  properties[PROP_ID] =
    g_param_spec_string ("id", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_SUPERSEDES] =
    g_param_spec_string ("supersedes", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_PERIOD] =
    g_param_spec_string ("period", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_LANGUAGE] =
    g_param_spec_string ("language", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_ORGANISATION_NAME] =
    g_param_spec_string ("organisation-name", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
dlg_report_init (DlgReport *self)
{
  self->recipients = g_ptr_array_new_with_free_func ((GDestroyNotify) dlg_party_free);
  self->answers = g_array_new (FALSE, TRUE, sizeof (DlgReportAnswer));
  g_array_set_clear_func (self->answers, (GDestroyNotify) answer_clear);
  self->answer_index = g_hash_table_new (g_str_hash, g_str_equal);
  self->sections = g_array_new (FALSE, TRUE, sizeof (DlgReportSection));
  self->section_index = g_hash_table_new (g_str_hash, g_str_equal);
  self->findings = g_array_new (FALSE, TRUE, sizeof (DlgReportFinding));
}

/* Building */

static void
add_string_or_null (JsonBuilder *b,
                    const char  *member,
                    const char  *value)
{
  json_builder_set_member_name (b, member);
  if (value != NULL)
    json_builder_add_string_value (b, value);
  else
    json_builder_add_null_value (b);
}

static void
add_number (JsonBuilder *b,
            double       number)
{
  if (number == floor (number) && fabs (number) < 9e15)
    json_builder_add_int_value (b, (gint64) number);
  else
    json_builder_add_double_value (b, number);
}

/* The number as a reader of @language writes it, with its unit. */
static char *
format_number (const DlgQuestion *q,
               double             number,
               const char        *language)
{
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(JsonNode) node = json_node_alloc ();
  g_autofree char *digits = NULL;
  gsize len;
  const char *data;

  if (number == floor (number) && fabs (number) < 9e15)
    json_node_init_int (node, (gint64) number);
  else
    json_node_init_double (node, number);
  bytes = dlg_payload_serialize (node, FALSE);
  data = g_bytes_get_data (bytes, &len);
  digits = g_strndup (data, len);

  /* English writes 2.5; French, Dutch and German write 2,5. */
  if (language != NULL && !g_str_has_prefix (language, "en"))
    g_strdelimit (digits, ".", ',');

  if (q->unit != NULL)
    return g_strdup_printf ("%s %s", digits, dlg_text_get (q->unit, language));
  return g_steal_pointer (&digits);
}

static const char *
option_label (const DlgQuestion *q,
              const char        *option_id,
              const char        *language)
{
  const DlgOption *option = dlg_question_lookup_option (q, option_id);

  return option ? dlg_option_get_label (option, language) : option_id;
}

static void
add_answer (JsonBuilder             *b,
            const DlgQuestion       *q,
            const DlgAnswer         *a,
            const DlgQuestionResult *r,
            const char              *language)
{
  gboolean has_value = a != NULL && a->has_value;

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "question");
  json_builder_add_string_value (b, q->id);
  json_builder_set_member_name (b, "section");
  json_builder_add_string_value (b, q->section->id);
  json_builder_set_member_name (b, "type");
  json_builder_add_string_value (b, dlg_question_type_to_string (q->type));
  json_builder_set_member_name (b, "text");
  json_builder_add_string_value (b, dlg_text_get (q->text, language));
  json_builder_set_member_name (b, "required");
  json_builder_add_boolean_value (b, q->required);
  json_builder_set_member_name (b, "critical");
  json_builder_add_boolean_value (b, q->critical);

  json_builder_set_member_name (b, "value");
  if (!has_value)
    json_builder_add_null_value (b);
  else if (q->type == DLG_QUESTION_MULTIPLE_CHOICE)
    {
      json_builder_begin_array (b);
      for (guint i = 0; i < a->choices->len; i++)
        json_builder_add_string_value (b, g_ptr_array_index (a->choices, i));
      json_builder_end_array (b);
    }
  else if (q->type == DLG_QUESTION_NUMBER)
    add_number (b, a->number);
  else
    json_builder_add_string_value (b, a->string);

  json_builder_set_member_name (b, "display");
  if (!has_value)
    json_builder_add_null_value (b);
  else if (q->type == DLG_QUESTION_MULTIPLE_CHOICE)
    {
      json_builder_begin_array (b);
      for (guint i = 0; i < a->choices->len; i++)
        json_builder_add_string_value (b, option_label (q, g_ptr_array_index (a->choices, i), language));
      json_builder_end_array (b);
    }
  else if (q->type == DLG_QUESTION_NUMBER)
    {
      g_autofree char *text = format_number (q, a->number, language);

      json_builder_add_string_value (b, text);
    }
  else if (dlg_question_is_choice (q))
    json_builder_add_string_value (b, option_label (q, a->string, language));
  else
    json_builder_add_string_value (b, a->string);

  json_builder_set_member_name (b, "level");
  json_builder_add_string_value (b, dlg_level_to_string (has_value ? r->level : DLG_LEVEL_NONE));

  add_string_or_null (b, "comment", a ? a->comment : NULL);

  json_builder_set_member_name (b, "evidence");
  json_builder_begin_array (b);
  for (guint i = 0; a && a->evidence && i < a->evidence->len; i++)
    {
      const DlgEvidenceRef *ref = g_ptr_array_index (a->evidence, i);

      json_builder_begin_object (b);
      json_builder_set_member_name (b, "name");
      json_builder_add_string_value (b, ref->name);
      json_builder_set_member_name (b, "sha256");
      json_builder_add_string_value (b, ref->sha256);
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
  json_builder_end_object (b);
}

static gboolean
check_party (const char  *name,
             const char  *id,
             gboolean     recipient,
             GError     **error)
{
  if (name == NULL || !dlg_payload_string_is (name, DLG_STRING_LINE))
    {
      if (recipient)
        g_set_error_literal (error, DLG_REPORT_ERROR, DLG_REPORT_ERROR_INCOMPLETE,
                             _("A recipient of the report has no name."));
      else
        g_set_error_literal (error, DLG_REPORT_ERROR, DLG_REPORT_ERROR_INCOMPLETE,
                             _("Your organisation profile has no name. Add it in Preferences: "
                               "a report must say who it is from."));
      return FALSE;
    }

  if (id == NULL || *id == '\0')
    {
      if (recipient)
        g_set_error (error, DLG_REPORT_ERROR, DLG_REPORT_ERROR_INCOMPLETE,
                     _("The recipient “%s” has no enterprise or VAT number. A report is "
                       "addressed by number, so that it reaches the right organisation."), name);
      else
        g_set_error_literal (error, DLG_REPORT_ERROR, DLG_REPORT_ERROR_INCOMPLETE,
                             _("Your organisation profile has no enterprise or VAT number. Add it "
                               "in Preferences: a report must say who it is from."));
      return FALSE;
    }

  if (!dlg_payload_string_is (id, DLG_STRING_PARTY_ID))
    {
      g_set_error (error, DLG_REPORT_ERROR, DLG_REPORT_ERROR_INVALID_VALUE,
                   _("“%s” is not an enterprise or VAT number: use 2 to 64 letters and digits, "
                     "e.g. BE0123456789."), id);
      return FALSE;
    }
  return TRUE;
}

static DlgReport *parse_payload (GBytes   *payload,
                                 GError  **error);

/**
 * dlg_report_new:
 * @assessment: the assessment reported on
 * @evaluation: @assessment's evaluation, full or quick scan
 * @organisation: who reports: a name and an enterprise or VAT number at least
 * @recipients: (nullable) (element-type DlgParty): who the report is for,
 *   each with a name and an enterprise or VAT number
 * @period: the period reported on, e.g. "2026"
 * @language: (nullable): the language to write questions and labels in;
 *   %NULL for the user's language if the questionnaire has it. A language
 *   the questionnaire lacks falls back to its default language.
 * @action_plan: (nullable): the corrective action plan as a JSON object
 * @supersedes: (nullable): the id of the report this one corrects
 * @error: a #GError
 *
 * Writes a report of every visible question of @assessment, with comments
 * and evidence hashes. Hidden questions are left out, answers and all.
 *
 * Returns: (transfer full): the report, or %NULL with @error set
 *   (%DLG_REPORT_ERROR_INCOMPLETE when the profile, a recipient or the
 *   period lacks what a report must say)
 */
DlgReport *
dlg_report_new (DlgAssessment        *assessment,
                const DlgEvaluation  *evaluation,
                const DlgProfile     *organisation,
                GPtrArray            *recipients,
                const char           *period,
                const char           *language,
                JsonNode             *action_plan,
                const char           *supersedes,
                GError              **error)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(JsonNode) evaluation_node = NULL;
  g_autoptr(GBytes) payload = NULL;
  g_autofree char *id = g_uuid_string_random ();
  g_autofree char *now = dlg_payload_now ();
  DlgQuestionnaire *questionnaire;
  JsonObject *evaluation_object;
  const char * const *languages;

  g_return_val_if_fail (DLG_IS_ASSESSMENT (assessment), NULL);
  g_return_val_if_fail (evaluation != NULL, NULL);
  g_return_val_if_fail (evaluation->questionnaire == dlg_assessment_get_questionnaire (assessment), NULL);
  g_return_val_if_fail (organisation != NULL, NULL);
  g_return_val_if_fail (action_plan == NULL || JSON_NODE_HOLDS_OBJECT (action_plan) ||
                        JSON_NODE_HOLDS_NULL (action_plan), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  questionnaire = evaluation->questionnaire;

  if (!check_party (organisation->name, organisation->enterprise_number, FALSE, error))
    return NULL;
  if (organisation->country != NULL && !dlg_payload_string_is (organisation->country, DLG_STRING_COUNTRY))
    {
      g_set_error (error, DLG_REPORT_ERROR, DLG_REPORT_ERROR_INVALID_VALUE,
                   _("“%s” is not a two-letter country code."), organisation->country);
      return NULL;
    }
  for (guint i = 0; recipients && i < recipients->len; i++)
    {
      const DlgParty *party = g_ptr_array_index (recipients, i);

      if (!check_party (party->name, party->id, TRUE, error))
        return NULL;
    }
  if (period == NULL || !dlg_payload_string_is (period, DLG_STRING_LINE) || strlen (period) > MAX_SHORT)
    {
      g_set_error_literal (error, DLG_REPORT_ERROR, DLG_REPORT_ERROR_INCOMPLETE,
                           _("A report needs the period it covers, such as “2026”, in at most 64 characters."));
      return NULL;
    }
  if (supersedes != NULL && !dlg_payload_string_is (supersedes, DLG_STRING_UUID))
    {
      g_set_error (error, DLG_REPORT_ERROR, DLG_REPORT_ERROR_INVALID_VALUE,
                   _("“%s” is not the id of a report."), supersedes);
      return NULL;
    }

  languages = dlg_questionnaire_get_languages (questionnaire);
  if (language == NULL)
    language = dlg_language_pick (languages);
  if (language == NULL || !g_strv_contains (languages, language))
    language = dlg_questionnaire_get_default_language (questionnaire);

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "format");
  json_builder_add_string_value (b, DLG_REPORT_FORMAT);
  json_builder_set_member_name (b, "id");
  json_builder_add_string_value (b, id);
  add_string_or_null (b, "supersedes", supersedes);
  json_builder_set_member_name (b, "created_at");
  json_builder_add_string_value (b, now);
  json_builder_set_member_name (b, "app_version");
  json_builder_add_string_value (b, PACKAGE_VERSION);

  json_builder_set_member_name (b, "organisation");
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "name");
  json_builder_add_string_value (b, organisation->name);
  json_builder_set_member_name (b, "id");
  json_builder_add_string_value (b, organisation->enterprise_number);
  add_string_or_null (b, "country", organisation->country);
  json_builder_set_member_name (b, "contact");
  json_builder_begin_object (b);
  add_string_or_null (b, "name", organisation->contact_name);
  add_string_or_null (b, "email", organisation->contact_email);
  json_builder_end_object (b);
  json_builder_end_object (b);

  json_builder_set_member_name (b, "recipients");
  json_builder_begin_array (b);
  for (guint i = 0; recipients && i < recipients->len; i++)
    {
      const DlgParty *party = g_ptr_array_index (recipients, i);

      json_builder_begin_object (b);
      json_builder_set_member_name (b, "name");
      json_builder_add_string_value (b, party->name);
      json_builder_set_member_name (b, "id");
      json_builder_add_string_value (b, party->id);
      json_builder_end_object (b);
    }
  json_builder_end_array (b);

  json_builder_set_member_name (b, "period");
  json_builder_add_string_value (b, period);

  json_builder_set_member_name (b, "questionnaire");
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "id");
  json_builder_add_string_value (b, dlg_questionnaire_get_id (questionnaire));
  json_builder_set_member_name (b, "version");
  json_builder_add_string_value (b, dlg_questionnaire_get_version (questionnaire));
  json_builder_set_member_name (b, "sha256");
  json_builder_add_string_value (b, dlg_questionnaire_get_checksum (questionnaire));
  json_builder_set_member_name (b, "title");
  json_builder_add_string_value (b, dlg_text_get (dlg_questionnaire_get_title (questionnaire), language));
  json_builder_end_object (b);

  json_builder_set_member_name (b, "quick_scan");
  json_builder_add_boolean_value (b, evaluation->quick_scan);
  json_builder_set_member_name (b, "language");
  json_builder_add_string_value (b, language);

  json_builder_set_member_name (b, "answers");
  json_builder_begin_array (b);
  for (guint i = 0; i < evaluation->n_questions; i++)
    {
      const DlgQuestionResult *r = &evaluation->questions[i];
      const DlgQuestion *q = dlg_questionnaire_get_question (questionnaire, i);

      /* Hidden answers stay on the supplier's computer: a condition that
       * hides a question says the answer does not apply. */
      if (!r->visible)
        continue;
      add_answer (b, q, dlg_assessment_get_answer (assessment, q->id), r, language);
    }
  json_builder_end_array (b);

  /* The evaluation as `diligence-tool score --json` prints it, less what
   * the report already says at its top level. */
  evaluation_node = dlg_evaluation_to_json (evaluation, language);
  evaluation_object = json_node_get_object (evaluation_node);
  json_object_remove_member (evaluation_object, "questionnaire");
  json_object_remove_member (evaluation_object, "quick_scan");
  json_builder_set_member_name (b, "evaluation");
  json_builder_add_value (b, g_steal_pointer (&evaluation_node));

  json_builder_set_member_name (b, "action_plan");
  if (action_plan != NULL)
    json_builder_add_value (b, json_node_copy (action_plan));
  else
    json_builder_add_null_value (b);
  json_builder_end_object (b);

  root = json_builder_get_root (b);
  payload = dlg_payload_serialize (root, FALSE);
  return parse_payload (payload, error);
}

/* Parsing */

static const char * const top_members[] = {
  "format", "id", "supersedes", "created_at", "app_version", "organisation", "recipients",
  "period", "questionnaire", "quick_scan", "language", "answers", "evaluation", "action_plan",
  NULL
};

static gboolean
parse_organisation (DlgReport          *self,
                    DlgCheck           *c,
                    const DlgJsonValue *root)
{
  static const char * const members[] = { "name", "id", "country", "contact", NULL };
  static const char * const contact_members[] = { "name", "email", NULL };
  const DlgJsonValue *o, *contact;

  return (o = dlg_check_member (c, root, "", "organisation", DLG_JSON_OBJECT, FALSE)) &&
         dlg_check_members (c, o, "/organisation", members, FALSE) &&
         dlg_check_string (c, o, "/organisation", "name", DLG_STRING_LINE, FALSE, MAX_NAME, &self->org_name) &&
         dlg_check_string (c, o, "/organisation", "id", DLG_STRING_PARTY_ID, FALSE, MAX_SHORT, &self->org_id) &&
         dlg_check_string (c, o, "/organisation", "country", DLG_STRING_COUNTRY, TRUE, 2, &self->org_country) &&
         (contact = dlg_check_member (c, o, "/organisation", "contact", DLG_JSON_OBJECT, FALSE)) &&
         dlg_check_members (c, contact, "/organisation/contact", contact_members, FALSE) &&
         dlg_check_string (c, contact, "/organisation/contact", "name", DLG_STRING_LINE, TRUE,
                           MAX_NAME, &self->contact_name) &&
         dlg_check_string (c, contact, "/organisation/contact", "email", DLG_STRING_LINE, TRUE,
                           MAX_NAME, &self->contact_email);
}

static gboolean
parse_recipients (DlgReport          *self,
                  DlgCheck           *c,
                  const DlgJsonValue *root)
{
  static const char * const members[] = { "name", "id", NULL };
  const DlgJsonValue *array = dlg_check_array (c, root, "", "recipients", DLG_REPORT_MAX_RECIPIENTS);

  if (array == NULL)
    return FALSE;

  for (guint i = 0; i < array->length; i++)
    {
      const DlgJsonValue *o = array->elements[i];
      g_autofree char *p = dlg_pointer_index ("/recipients", NULL, i);
      const char *name, *id;

      if (!dlg_json_is_object (o))
        return dlg_check_fail (c, DLG_PAYLOAD_ERROR_WRONG_TYPE, p,
                               _("expected an object, found %s"), dlg_json_type_name (o));
      if (!dlg_check_members (c, o, p, members, FALSE) ||
          !dlg_check_string (c, o, p, "name", DLG_STRING_LINE, FALSE, MAX_NAME, &name) ||
          !dlg_check_string (c, o, p, "id", DLG_STRING_PARTY_ID, FALSE, MAX_SHORT, &id))
        return FALSE;

      for (guint j = 0; j < self->recipients->len; j++)
        if (strcmp (((DlgParty *) g_ptr_array_index (self->recipients, j))->id, id) == 0)
          return dlg_check_fail (c, DLG_PAYLOAD_ERROR_INVALID_VALUE, p,
                                 _("the recipient %s is listed twice"), id);

      g_ptr_array_add (self->recipients, dlg_party_new (name, id));
    }
  return TRUE;
}

static gboolean
parse_questionnaire (DlgReport          *self,
                     DlgCheck           *c,
                     const DlgJsonValue *root)
{
  static const char * const members[] = { "id", "version", "sha256", "title", NULL };
  const DlgJsonValue *o;

  return (o = dlg_check_member (c, root, "", "questionnaire", DLG_JSON_OBJECT, FALSE)) &&
         dlg_check_members (c, o, "/questionnaire", members, FALSE) &&
         dlg_check_string (c, o, "/questionnaire", "id", DLG_STRING_ID, FALSE, 128, &self->questionnaire_id) &&
         dlg_check_string (c, o, "/questionnaire", "version", DLG_STRING_LINE, FALSE, MAX_SHORT,
                           &self->questionnaire_version) &&
         dlg_check_string (c, o, "/questionnaire", "sha256", DLG_STRING_SHA256, FALSE, 64,
                           &self->questionnaire_sha256) &&
         dlg_check_string (c, o, "/questionnaire", "title", DLG_STRING_LINE, FALSE, MAX_TITLE,
                           &self->questionnaire_title);
}

typedef enum
{
  VALUE_OPTION,
  VALUE_OPTIONS,
  VALUE_TEXT,
  VALUE_NUMBER,
  VALUE_DATE,
} ValueKind;

static const struct {
  const char *name;
  ValueKind   kind;
} answer_types[] = {
  { "single_choice", VALUE_OPTION },
  { "multiple_choice", VALUE_OPTIONS },
  { "yes_no", VALUE_OPTION },
  { "text", VALUE_TEXT },
  { "number", VALUE_NUMBER },
  { "date", VALUE_DATE },
};

/* Checks @value against the question type and, for multiple choice, that
 * @display has one label per option. */
static gboolean
parse_value (DlgReport          *self,
             DlgCheck           *c,
             const char         *pointer,
             ValueKind           kind,
             const DlgJsonValue *value,
             const DlgJsonValue *display,
             DlgReportAnswer    *answer)
{
  g_autofree char *vp = dlg_pointer_append (pointer, "value");
  g_autofree char *dp = dlg_pointer_append (pointer, "display");
  const char **labels;

  if (dlg_json_is_null (value) != dlg_json_is_null (display))
    return dlg_check_fail (c, DLG_PAYLOAD_ERROR_INVALID_VALUE, dp,
                           _("must be null exactly when “value” is null"));
  if (dlg_json_is_null (value))
    return TRUE;

  switch (kind)
    {
    case VALUE_OPTION:
      if (!dlg_check_string_value (c, value, vp, DLG_STRING_ID, 128))
        return FALSE;
      break;
    case VALUE_TEXT:
      if (!dlg_check_string_value (c, value, vp, DLG_STRING_TEXT, DLG_REPORT_MAX_TEXT))
        return FALSE;
      if (value->length == 0)
        return dlg_check_fail (c, DLG_PAYLOAD_ERROR_INVALID_VALUE, vp, _("an answer cannot be empty"));
      break;
    case VALUE_DATE:
      if (!dlg_check_string_value (c, value, vp, DLG_STRING_DATE, 10))
        return FALSE;
      break;
    case VALUE_NUMBER:
      if (!dlg_json_is_number (value))
        return dlg_check_fail (c, DLG_PAYLOAD_ERROR_WRONG_TYPE, vp,
                               _("expected a number, found %s"), dlg_json_type_name (value));
      break;
    case VALUE_OPTIONS:
      if (!dlg_json_is_array (value))
        return dlg_check_fail (c, DLG_PAYLOAD_ERROR_WRONG_TYPE, vp,
                               _("expected an array, found %s"), dlg_json_type_name (value));
      if (value->length > DLG_REPORT_MAX_CHOICES)
        return dlg_check_fail (c, DLG_PAYLOAD_ERROR_TOO_LARGE, vp,
                               _("%u elements, more than the %u allowed"),
                               value->length, DLG_REPORT_MAX_CHOICES);
      if (value->length == 0)
        return dlg_check_fail (c, DLG_PAYLOAD_ERROR_INVALID_VALUE, vp,
                               _("a multiple-choice answer selects at least one option"));
      for (guint i = 0; i < value->length; i++)
        {
          g_autofree char *ep = dlg_pointer_index (vp, NULL, i);

          if (!dlg_check_string_value (c, value->elements[i], ep, DLG_STRING_ID, 128))
            return FALSE;
          for (guint j = 0; j < i; j++)
            if (strcmp (value->elements[j]->string, value->elements[i]->string) == 0)
              return dlg_check_fail (c, DLG_PAYLOAD_ERROR_INVALID_VALUE, ep,
                                     _("the option “%s” is selected twice"), value->elements[i]->string);
        }
      if (!dlg_json_is_array (display))
        return dlg_check_fail (c, DLG_PAYLOAD_ERROR_WRONG_TYPE, dp,
                               _("expected an array, found %s"), dlg_json_type_name (display));
      if (display->length != value->length)
        return dlg_check_fail (c, DLG_PAYLOAD_ERROR_INVALID_VALUE, dp,
                               _("expected one label for each selected option"));
      labels = dlg_json_doc_alloc (self->doc, (display->length + 1) * sizeof (char *));
      for (guint i = 0; i < display->length; i++)
        {
          g_autofree char *ep = dlg_pointer_index (dp, NULL, i);

          if (!dlg_check_string_value (c, display->elements[i], ep, DLG_STRING_TEXT, MAX_QUESTION))
            return FALSE;
          labels[i] = display->elements[i]->string;
        }
      labels[display->length] = NULL;
      answer->display = labels;
      answer->value = dlg_json_to_node (value);
      return TRUE;
    default:
      g_return_val_if_reached (FALSE);
    }

  if (!dlg_check_string_value (c, display, dp, DLG_STRING_TEXT, DLG_REPORT_MAX_TEXT))
    return FALSE;
  labels = dlg_json_doc_alloc (self->doc, 2 * sizeof (char *));
  labels[0] = display->string;
  labels[1] = NULL;
  answer->display = labels;
  answer->value = dlg_json_to_node (value);
  return TRUE;
}

static gboolean
parse_evidence (DlgReport          *self,
                DlgCheck           *c,
                const char         *pointer,
                const DlgJsonValue *o,
                DlgReportAnswer    *answer)
{
  static const char * const members[] = { "name", "sha256", NULL };
  const DlgJsonValue *array = dlg_check_array (c, o, pointer, "evidence", DLG_REPORT_MAX_EVIDENCE);
  DlgEvidenceRef *refs;

  if (array == NULL)
    return FALSE;

  refs = dlg_json_doc_alloc (self->doc, MAX (array->length, 1) * sizeof (DlgEvidenceRef));
  for (guint i = 0; i < array->length; i++)
    {
      const DlgJsonValue *e = array->elements[i];
      g_autofree char *p = dlg_pointer_index (pointer, "evidence", i);
      const char *name, *sha256;

      if (!dlg_json_is_object (e))
        return dlg_check_fail (c, DLG_PAYLOAD_ERROR_WRONG_TYPE, p,
                               _("expected an object, found %s"), dlg_json_type_name (e));
      if (!dlg_check_members (c, e, p, members, FALSE) ||
          !dlg_check_string (c, e, p, "name", DLG_STRING_LINE, FALSE, MAX_NAME, &name) ||
          !dlg_check_string (c, e, p, "sha256", DLG_STRING_SHA256, FALSE, 64, &sha256))
        return FALSE;

      /* The document owns the strings; the cast only meets the struct's
       * field type, nothing writes through it. */
      refs[i].name = (char *) name;
      refs[i].sha256 = (char *) sha256;
    }
  answer->evidence = refs;
  answer->n_evidence = array->length;
  return TRUE;
}

/* A member that must be there, of a type the caller checks. */
static const DlgJsonValue *
present (DlgCheck           *c,
         const DlgJsonValue *o,
         const char         *pointer,
         const char         *key)
{
  const DlgJsonValue *value = dlg_json_get (o, key);

  if (value == NULL)
    {
      g_autofree char *p = dlg_pointer_append (pointer, key);

      dlg_check_fail (c, DLG_PAYLOAD_ERROR_MISSING_MEMBER, p, _("required member is missing"));
    }
  return value;
}

static gboolean
parse_answers (DlgReport          *self,
               DlgCheck           *c,
               const DlgJsonValue *root)
{
  static const char * const members[] = {
    "question", "section", "type", "text", "required", "critical", "value", "display", "level",
    "comment", "evidence", NULL
  };
  const DlgJsonValue *array = dlg_check_array (c, root, "", "answers", DLG_REPORT_MAX_ANSWERS);

  if (array == NULL)
    return FALSE;

  g_array_set_size (self->answers, array->length);
  for (guint i = 0; i < array->length; i++)
    {
      const DlgJsonValue *o = array->elements[i];
      DlgReportAnswer *answer = &g_array_index (self->answers, DlgReportAnswer, i);
      g_autofree char *p = dlg_pointer_index ("/answers", NULL, i);
      g_autofree char *tp = NULL;
      const DlgJsonValue *value, *display;
      gint type = -1;

      if (!dlg_json_is_object (o))
        return dlg_check_fail (c, DLG_PAYLOAD_ERROR_WRONG_TYPE, p,
                               _("expected an object, found %s"), dlg_json_type_name (o));
      if (!dlg_check_members (c, o, p, members, FALSE) ||
          !dlg_check_string (c, o, p, "question", DLG_STRING_ID, FALSE, 128, &answer->question_id) ||
          !dlg_check_string (c, o, p, "section", DLG_STRING_ID, FALSE, 128, &answer->section_id) ||
          !dlg_check_string (c, o, p, "type", DLG_STRING_ID, FALSE, 32, &answer->type) ||
          !dlg_check_string (c, o, p, "text", DLG_STRING_TEXT, FALSE, MAX_QUESTION, &answer->text) ||
          !dlg_check_boolean (c, o, p, "required", &answer->required) ||
          !dlg_check_boolean (c, o, p, "critical", &answer->critical))
        return FALSE;

      tp = dlg_pointer_append (p, "type");
      for (guint j = 0; j < G_N_ELEMENTS (answer_types); j++)
        if (strcmp (answer->type, answer_types[j].name) == 0)
          type = j;
      if (type < 0)
        return dlg_check_fail (c, DLG_PAYLOAD_ERROR_INVALID_VALUE, tp,
                               _("“%s” is not a question type"), answer->type);

      if (!(value = present (c, o, p, "value")) || !(display = present (c, o, p, "display")))
        return FALSE;

      if (!parse_value (self, c, p, answer_types[type].kind, value, display, answer) ||
          !dlg_check_level (c, o, p, "level", &answer->level) ||
          !dlg_check_string (c, o, p, "comment", DLG_STRING_TEXT, TRUE, DLG_REPORT_MAX_TEXT,
                             &answer->comment) ||
          !parse_evidence (self, c, p, o, answer))
        return FALSE;

      if (answer->level == DLG_LEVEL_INCOMPLETE || (answer->value == NULL && answer->level != DLG_LEVEL_NONE))
        {
          g_autofree char *lp = dlg_pointer_append (p, "level");

          return dlg_check_fail (c, DLG_PAYLOAD_ERROR_INVALID_VALUE, lp,
                                 _("an answer’s level is green, amber, red or grey, and none when unanswered"));
        }

      if (g_hash_table_contains (self->answer_index, answer->question_id))
        {
          g_autofree char *qp = dlg_pointer_append (p, "question");

          return dlg_check_fail (c, DLG_PAYLOAD_ERROR_INVALID_VALUE, qp,
                                 _("the question “%s” is answered twice"), answer->question_id);
        }
      g_hash_table_insert (self->answer_index, (gpointer) answer->question_id, GUINT_TO_POINTER (i + 1));
    }
  return TRUE;
}

static gboolean
parse_score (DlgCheck           *c,
             const DlgJsonValue *o,
             const char         *pointer,
             gboolean           *has_score,
             double             *score)
{
  const DlgJsonValue *value = dlg_check_member (c, o, pointer, "score", DLG_JSON_NUMBER, TRUE);

  if (value == NULL)
    return FALSE;
  *has_score = !dlg_json_is_null (value);
  *score = *has_score ? value->number : 0;
  if (*has_score && !(value->number >= 0 && value->number <= 100))
    {
      g_autofree char *p = dlg_pointer_append (pointer, "score");

      return dlg_check_fail (c, DLG_PAYLOAD_ERROR_INVALID_VALUE, p, _("a score is from 0 to 100"));
    }
  return TRUE;
}

static gboolean
check_required (DlgCheck   *c,
                const char *pointer,
                guint       required,
                guint       answered)
{
  if (answered > required)
    {
      g_autofree char *p = dlg_pointer_append (pointer, "required_answered");

      return dlg_check_fail (c, DLG_PAYLOAD_ERROR_INVALID_VALUE, p,
                             _("more required questions answered than there are"));
    }
  return TRUE;
}

static gboolean
parse_section (DlgReport          *self,
               DlgCheck           *c,
               const char         *p,
               const DlgJsonValue *o,
               DlgReportSection   *s)
{
  static const char * const members[] = {
    "id", "title", "level", "level_if_complete", "score", "complete", "critical_finding",
    "questions", "answered", "required", "required_answered", "counts", NULL
  };
  static const char * const count_members[] = { "green", "amber", "red", "grey", NULL };
  g_autofree char *cp = dlg_pointer_append (p, "counts");
  const DlgJsonValue *counts;

  if (!dlg_json_is_object (o))
    return dlg_check_fail (c, DLG_PAYLOAD_ERROR_WRONG_TYPE, p,
                           _("expected an object, found %s"), dlg_json_type_name (o));

  return dlg_check_members (c, o, p, members, FALSE) &&
         dlg_check_string (c, o, p, "id", DLG_STRING_ID, FALSE, 128, &s->id) &&
         dlg_check_string (c, o, p, "title", DLG_STRING_LINE, FALSE, MAX_TITLE, &s->title) &&
         dlg_check_level (c, o, p, "level", &s->level) &&
         dlg_check_level (c, o, p, "level_if_complete", &s->level_if_complete) &&
         parse_score (c, o, p, &s->has_score, &s->score) &&
         dlg_check_boolean (c, o, p, "complete", &s->complete) &&
         dlg_check_boolean (c, o, p, "critical_finding", &s->critical_finding) &&
         dlg_check_count (c, o, p, "questions", &s->n_questions) &&
         dlg_check_count (c, o, p, "answered", &s->n_answered) &&
         dlg_check_count (c, o, p, "required", &s->n_required) &&
         dlg_check_count (c, o, p, "required_answered", &s->n_required_answered) &&
         check_required (c, p, s->n_required, s->n_required_answered) &&
         (counts = dlg_check_member (c, o, p, "counts", DLG_JSON_OBJECT, FALSE)) &&
         dlg_check_members (c, counts, cp, count_members, FALSE) &&
         dlg_check_count (c, counts, cp, "green", &s->n_green) &&
         dlg_check_count (c, counts, cp, "amber", &s->n_amber) &&
         dlg_check_count (c, counts, cp, "red", &s->n_red) &&
         dlg_check_count (c, counts, cp, "grey", &s->n_grey);
}

static gboolean
parse_evaluation (DlgReport          *self,
                  DlgCheck           *c,
                  const DlgJsonValue *root)
{
  static const char * const members[] = {
    "level", "level_if_complete", "score", "complete", "critical_finding", "required",
    "required_answered", "sections", "findings", NULL
  };
  static const char * const finding_members[] = { "question", "level", "critical", "text", NULL };
  const char *ep = "/evaluation";
  const DlgJsonValue *o, *sections, *findings;

  if (!(o = dlg_check_member (c, root, "", "evaluation", DLG_JSON_OBJECT, FALSE)) ||
      !dlg_check_members (c, o, ep, members, FALSE) ||
      !dlg_check_level (c, o, ep, "level", &self->level) ||
      !dlg_check_level (c, o, ep, "level_if_complete", &self->level_if_complete) ||
      !parse_score (c, o, ep, &self->has_score, &self->score) ||
      !dlg_check_boolean (c, o, ep, "complete", &self->complete) ||
      !dlg_check_boolean (c, o, ep, "critical_finding", &self->critical_finding) ||
      !dlg_check_count (c, o, ep, "required", &self->n_required) ||
      !dlg_check_count (c, o, ep, "required_answered", &self->n_required_answered) ||
      !check_required (c, ep, self->n_required, self->n_required_answered) ||
      !(sections = dlg_check_array (c, o, ep, "sections", DLG_REPORT_MAX_SECTIONS)) ||
      !(findings = dlg_check_array (c, o, ep, "findings", DLG_REPORT_MAX_ANSWERS)))
    return FALSE;

  g_array_set_size (self->sections, sections->length);
  for (guint i = 0; i < sections->length; i++)
    {
      DlgReportSection *s = &g_array_index (self->sections, DlgReportSection, i);
      g_autofree char *p = dlg_pointer_index (ep, "sections", i);

      if (!parse_section (self, c, p, sections->elements[i], s))
        return FALSE;
      if (g_hash_table_contains (self->section_index, s->id))
        return dlg_check_fail (c, DLG_PAYLOAD_ERROR_INVALID_VALUE, p,
                               _("the section “%s” appears twice"), s->id);
      g_hash_table_insert (self->section_index, (gpointer) s->id, GUINT_TO_POINTER (i + 1));
    }

  g_array_set_size (self->findings, findings->length);
  for (guint i = 0; i < findings->length; i++)
    {
      const DlgJsonValue *f = findings->elements[i];
      DlgReportFinding *finding = &g_array_index (self->findings, DlgReportFinding, i);
      g_autofree char *p = dlg_pointer_index (ep, "findings", i);

      if (!dlg_json_is_object (f))
        return dlg_check_fail (c, DLG_PAYLOAD_ERROR_WRONG_TYPE, p,
                               _("expected an object, found %s"), dlg_json_type_name (f));
      if (!dlg_check_members (c, f, p, finding_members, FALSE) ||
          !dlg_check_string (c, f, p, "question", DLG_STRING_ID, FALSE, 128, &finding->question_id) ||
          !dlg_check_level (c, f, p, "level", &finding->level) ||
          !dlg_check_boolean (c, f, p, "critical", &finding->critical) ||
          !dlg_check_string (c, f, p, "text", DLG_STRING_TEXT, FALSE, MAX_QUESTION, &finding->text))
        return FALSE;
      if (finding->level != DLG_LEVEL_AMBER && finding->level != DLG_LEVEL_RED)
        return dlg_check_fail (c, DLG_PAYLOAD_ERROR_INVALID_VALUE, p, _("a finding is amber or red"));
      if (!g_hash_table_contains (self->answer_index, finding->question_id))
        return dlg_check_fail (c, DLG_PAYLOAD_ERROR_INVALID_VALUE, p,
                               _("the question “%s” is not among the answers"), finding->question_id);
    }

  /* Every answer belongs to a section the evaluation shows. */
  for (guint i = 0; i < self->answers->len; i++)
    {
      const DlgReportAnswer *a = &g_array_index (self->answers, DlgReportAnswer, i);

      if (dlg_report_lookup_section (self, a->section_id) == NULL)
        {
          g_autofree char *p = dlg_pointer_index ("/answers", NULL, i);
          g_autofree char *sp = dlg_pointer_append (p, "section");

          return dlg_check_fail (c, DLG_PAYLOAD_ERROR_INVALID_VALUE, sp,
                                 _("the section “%s” is not in the evaluation"), a->section_id);
        }
    }
  return TRUE;
}

static DlgReport *
parse_payload (GBytes  *payload,
               GError **error)
{
  g_autoptr(DlgReport) self = g_object_new (DLG_TYPE_REPORT, NULL);
  DlgCheck check = { DLG_REPORT_ERROR, _("Invalid report"), error };
  DlgCheck *c = &check;
  const DlgJsonValue *root, *plan;

  self->payload = g_bytes_ref (payload);
  if (!(self->doc = dlg_check_parse (c, payload, DLG_REPORT_MAX_SIZE)))
    return NULL;
  root = dlg_json_doc_get_root (self->doc);

  if (!dlg_check_format (c, root, DLG_REPORT_FORMAT) ||
      !dlg_check_members (c, root, "", top_members, TRUE) ||
      !dlg_check_string (c, root, "", "id", DLG_STRING_UUID4, FALSE, 36, &self->id) ||
      !dlg_check_string (c, root, "", "supersedes", DLG_STRING_UUID, TRUE, 36, &self->supersedes) ||
      !dlg_check_string (c, root, "", "created_at", DLG_STRING_TIMESTAMP, FALSE, MAX_SHORT, &self->created_at) ||
      !dlg_check_string (c, root, "", "app_version", DLG_STRING_LINE, FALSE, MAX_SHORT, &self->app_version) ||
      !parse_organisation (self, c, root) ||
      !parse_recipients (self, c, root) ||
      !dlg_check_string (c, root, "", "period", DLG_STRING_LINE, FALSE, MAX_SHORT, &self->period) ||
      !parse_questionnaire (self, c, root) ||
      !dlg_check_boolean (c, root, "", "quick_scan", &self->quick_scan) ||
      !dlg_check_string (c, root, "", "language", DLG_STRING_LANGUAGE, FALSE, 35, &self->language) ||
      !parse_answers (self, c, root) ||
      !parse_evaluation (self, c, root) ||
      !(plan = dlg_check_member (c, root, "", "action_plan", DLG_JSON_OBJECT, TRUE)))
    return NULL;

  if (self->supersedes != NULL && strcmp (self->supersedes, self->id) == 0)
    {
      dlg_check_fail (c, DLG_PAYLOAD_ERROR_INVALID_VALUE, "/supersedes", _("a report cannot supersede itself"));
      return NULL;
    }

  self->created_at_dt = g_date_time_new_from_iso8601 (self->created_at, NULL);
  if (!dlg_json_is_null (plan))
    self->action_plan = dlg_json_to_node (plan);

  return g_steal_pointer (&self);
}

/**
 * dlg_report_new_from_payload:
 * @payload: the payload bytes, e.g. from dlg_jws_get_payload()
 * @error: a #GError
 *
 * Reads a report strictly: valid UTF-8 JSON, the right format, every
 * required member with its type, no unknown member (but "x-" extensions at
 * the top level), well-formed ids, dates and hashes, arrays and strings
 * within their limits, and consistent counts.
 *
 * Returns: (transfer full): the report, or %NULL with @error set in the
 *   %DLG_REPORT_ERROR domain
 */
DlgReport *
dlg_report_new_from_payload (GBytes  *payload,
                             GError **error)
{
  g_return_val_if_fail (payload != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  return parse_payload (payload, error);
}

/**
 * dlg_report_new_from_jws:
 * @jws: a signed report, as dlg_jws_parse() read it
 * @key: the key trusted for the report's author, e.g. from the trust store
 *   by dlg_jws_get_kid()
 * @error: a #GError
 *
 * Verifies that @key signed @jws and that nothing changed (errors in
 * %DLG_JWS_ERROR), that it is a report (%DLG_REPORT_ERROR_FORMAT for a
 * review or another document), and reads the payload as
 * dlg_report_new_from_payload() does.
 *
 * Returns: (transfer full): the report, or %NULL with @error set
 */
DlgReport *
dlg_report_new_from_jws (DlgJws  *jws,
                         DlgKey  *key,
                         GError **error)
{
  DlgCheck check = { DLG_REPORT_ERROR, _("Invalid report"), error };
  GBytes *payload;

  g_return_val_if_fail (DLG_IS_JWS (jws), NULL);
  g_return_val_if_fail (DLG_IS_KEY (key), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!(payload = dlg_check_jws (&check, jws, key, DLG_REPORT_JWS_TYPE)))
    return NULL;
  return parse_payload (payload, error);
}

/**
 * dlg_report_sign:
 * @key: the organisation's key pair
 *
 * Signs the exact payload bytes as a compact JWS of type
 * %DLG_REPORT_JWS_TYPE. Write the result to a file as it is, without a
 * final newline: reviews name a report by the SHA-256 of these bytes.
 *
 * Returns: (transfer full): the compact JWS, or %NULL with @error set
 *   (in %DLG_JWS_ERROR or %DLG_KEY_ERROR)
 */
char *
dlg_report_sign (DlgReport  *self,
                 DlgKey     *key,
                 GError    **error)
{
  g_return_val_if_fail (DLG_IS_REPORT (self), NULL);
  g_return_val_if_fail (DLG_IS_KEY (key), NULL);

  return dlg_jws_sign (key, DLG_REPORT_JWS_TYPE, self->payload, error);
}

/**
 * dlg_report_get_payload:
 *
 * Returns: (transfer none): the exact payload bytes, to sign or hash
 */
GBytes *
dlg_report_get_payload (DlgReport *self)
{
  g_return_val_if_fail (DLG_IS_REPORT (self), NULL);
  return self->payload;
}

/**
 * dlg_report_to_pretty_json:
 *
 * Returns: (transfer full): the payload indented for people to read; the
 *   same content, but not the bytes that were signed
 */
GBytes *
dlg_report_to_pretty_json (DlgReport *self)
{
  g_autoptr(JsonNode) node = NULL;

  g_return_val_if_fail (DLG_IS_REPORT (self), NULL);

  node = dlg_json_to_node (dlg_json_doc_get_root (self->doc));
  return dlg_payload_serialize (node, TRUE);
}

const char *
dlg_report_get_id (DlgReport *self)
{
  g_return_val_if_fail (DLG_IS_REPORT (self), NULL);
  return self->id;
}

/**
 * dlg_report_get_supersedes:
 *
 * Returns: (nullable): the id of the report this one corrects
 */
const char *
dlg_report_get_supersedes (DlgReport *self)
{
  g_return_val_if_fail (DLG_IS_REPORT (self), NULL);
  return self->supersedes;
}

/**
 * dlg_report_get_created_at:
 *
 * Returns: the creation time as written, RFC 3339 in UTC
 */
const char *
dlg_report_get_created_at (DlgReport *self)
{
  g_return_val_if_fail (DLG_IS_REPORT (self), NULL);
  return self->created_at;
}

/**
 * dlg_report_get_created_at_date_time:
 *
 * Returns: (transfer none): the creation time
 */
GDateTime *
dlg_report_get_created_at_date_time (DlgReport *self)
{
  g_return_val_if_fail (DLG_IS_REPORT (self), NULL);
  return self->created_at_dt;
}

const char *
dlg_report_get_app_version (DlgReport *self)
{
  g_return_val_if_fail (DLG_IS_REPORT (self), NULL);
  return self->app_version;
}

const char *
dlg_report_get_organisation_name (DlgReport *self)
{
  g_return_val_if_fail (DLG_IS_REPORT (self), NULL);
  return self->org_name;
}

/**
 * dlg_report_get_organisation_id:
 *
 * Returns: the reporting organisation's enterprise or VAT number
 */
const char *
dlg_report_get_organisation_id (DlgReport *self)
{
  g_return_val_if_fail (DLG_IS_REPORT (self), NULL);
  return self->org_id;
}

/**
 * dlg_report_get_organisation_country:
 *
 * Returns: (nullable): an ISO 3166-1 alpha-2 code
 */
const char *
dlg_report_get_organisation_country (DlgReport *self)
{
  g_return_val_if_fail (DLG_IS_REPORT (self), NULL);
  return self->org_country;
}

/**
 * dlg_report_get_contact_name:
 *
 * Returns: (nullable): the contact person
 */
const char *
dlg_report_get_contact_name (DlgReport *self)
{
  g_return_val_if_fail (DLG_IS_REPORT (self), NULL);
  return self->contact_name;
}

/**
 * dlg_report_get_contact_email:
 *
 * Returns: (nullable): the contact's e-mail address
 */
const char *
dlg_report_get_contact_email (DlgReport *self)
{
  g_return_val_if_fail (DLG_IS_REPORT (self), NULL);
  return self->contact_email;
}

guint
dlg_report_get_n_recipients (DlgReport *self)
{
  g_return_val_if_fail (DLG_IS_REPORT (self), 0);
  return self->recipients->len;
}

const DlgParty *
dlg_report_get_recipient (DlgReport *self,
                          guint      index)
{
  g_return_val_if_fail (DLG_IS_REPORT (self), NULL);
  g_return_val_if_fail (index < self->recipients->len, NULL);
  return g_ptr_array_index (self->recipients, index);
}

const char *
dlg_report_get_period (DlgReport *self)
{
  g_return_val_if_fail (DLG_IS_REPORT (self), NULL);
  return self->period;
}

/**
 * dlg_report_get_language:
 *
 * Returns: the language the questions and labels are written in
 */
const char *
dlg_report_get_language (DlgReport *self)
{
  g_return_val_if_fail (DLG_IS_REPORT (self), NULL);
  return self->language;
}

gboolean
dlg_report_get_quick_scan (DlgReport *self)
{
  g_return_val_if_fail (DLG_IS_REPORT (self), FALSE);
  return self->quick_scan;
}

const char *
dlg_report_get_questionnaire_id (DlgReport *self)
{
  g_return_val_if_fail (DLG_IS_REPORT (self), NULL);
  return self->questionnaire_id;
}

const char *
dlg_report_get_questionnaire_version (DlgReport *self)
{
  g_return_val_if_fail (DLG_IS_REPORT (self), NULL);
  return self->questionnaire_version;
}

/**
 * dlg_report_get_questionnaire_sha256:
 *
 * Returns: the SHA-256 of the questionnaire file's exact bytes, as
 *   dlg_questionnaire_get_checksum() gives it
 */
const char *
dlg_report_get_questionnaire_sha256 (DlgReport *self)
{
  g_return_val_if_fail (DLG_IS_REPORT (self), NULL);
  return self->questionnaire_sha256;
}

const char *
dlg_report_get_questionnaire_title (DlgReport *self)
{
  g_return_val_if_fail (DLG_IS_REPORT (self), NULL);
  return self->questionnaire_title;
}

guint
dlg_report_get_n_answers (DlgReport *self)
{
  g_return_val_if_fail (DLG_IS_REPORT (self), 0);
  return self->answers->len;
}

/**
 * dlg_report_get_answer:
 *
 * Returns: (transfer none): the answer to the @index-th visible question,
 *   in questionnaire order
 */
const DlgReportAnswer *
dlg_report_get_answer (DlgReport *self,
                       guint      index)
{
  g_return_val_if_fail (DLG_IS_REPORT (self), NULL);
  g_return_val_if_fail (index < self->answers->len, NULL);
  return &g_array_index (self->answers, DlgReportAnswer, index);
}

/**
 * dlg_report_lookup_answer:
 *
 * Returns: (nullable) (transfer none): the answer to @question_id, or
 *   %NULL if the question was not visible
 */
const DlgReportAnswer *
dlg_report_lookup_answer (DlgReport  *self,
                          const char *question_id)
{
  guint index;

  g_return_val_if_fail (DLG_IS_REPORT (self), NULL);

  index = GPOINTER_TO_UINT (g_hash_table_lookup (self->answer_index, question_id));
  return index > 0 ? &g_array_index (self->answers, DlgReportAnswer, index - 1) : NULL;
}

DlgLevel
dlg_report_get_level (DlgReport *self)
{
  g_return_val_if_fail (DLG_IS_REPORT (self), DLG_LEVEL_NONE);
  return self->level;
}

DlgLevel
dlg_report_get_level_if_complete (DlgReport *self)
{
  g_return_val_if_fail (DLG_IS_REPORT (self), DLG_LEVEL_NONE);
  return self->level_if_complete;
}

/**
 * dlg_report_get_score:
 * @score: (out) (optional): the overall score, 0 to 100
 *
 * Returns: whether there is a score
 */
gboolean
dlg_report_get_score (DlgReport *self,
                      double    *score)
{
  g_return_val_if_fail (DLG_IS_REPORT (self), FALSE);
  if (score != NULL)
    *score = self->score;
  return self->has_score;
}

gboolean
dlg_report_get_complete (DlgReport *self)
{
  g_return_val_if_fail (DLG_IS_REPORT (self), FALSE);
  return self->complete;
}

gboolean
dlg_report_get_critical_finding (DlgReport *self)
{
  g_return_val_if_fail (DLG_IS_REPORT (self), FALSE);
  return self->critical_finding;
}

guint
dlg_report_get_n_required (DlgReport *self)
{
  g_return_val_if_fail (DLG_IS_REPORT (self), 0);
  return self->n_required;
}

guint
dlg_report_get_n_required_answered (DlgReport *self)
{
  g_return_val_if_fail (DLG_IS_REPORT (self), 0);
  return self->n_required_answered;
}

guint
dlg_report_get_n_sections (DlgReport *self)
{
  g_return_val_if_fail (DLG_IS_REPORT (self), 0);
  return self->sections->len;
}

/**
 * dlg_report_get_section:
 *
 * Returns: (transfer none): the @index-th visible section's result
 */
const DlgReportSection *
dlg_report_get_section (DlgReport *self,
                        guint      index)
{
  g_return_val_if_fail (DLG_IS_REPORT (self), NULL);
  g_return_val_if_fail (index < self->sections->len, NULL);
  return &g_array_index (self->sections, DlgReportSection, index);
}

/**
 * dlg_report_lookup_section:
 *
 * Returns: (nullable) (transfer none): the result of @section_id
 */
const DlgReportSection *
dlg_report_lookup_section (DlgReport  *self,
                           const char *section_id)
{
  guint index;

  g_return_val_if_fail (DLG_IS_REPORT (self), NULL);

  index = GPOINTER_TO_UINT (g_hash_table_lookup (self->section_index, section_id));
  return index > 0 ? &g_array_index (self->sections, DlgReportSection, index - 1) : NULL;
}

guint
dlg_report_get_n_findings (DlgReport *self)
{
  g_return_val_if_fail (DLG_IS_REPORT (self), 0);
  return self->findings->len;
}

const DlgReportFinding *
dlg_report_get_finding (DlgReport *self,
                        guint      index)
{
  g_return_val_if_fail (DLG_IS_REPORT (self), NULL);
  g_return_val_if_fail (index < self->findings->len, NULL);
  return &g_array_index (self->findings, DlgReportFinding, index);
}

/**
 * dlg_report_get_action_plan:
 *
 * Returns: (nullable) (transfer none): the corrective action plan, a JSON
 *   object, or %NULL if the report has none
 */
JsonNode *
dlg_report_get_action_plan (DlgReport *self)
{
  g_return_val_if_fail (DLG_IS_REPORT (self), NULL);
  return self->action_plan;
}
