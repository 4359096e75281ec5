/* dlg-review.c - a buyer's review of a report's corrective action plan
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A review names the report it is about twice: by id, and by the SHA-256
 * of the exact signed report (the compact JWS bytes). The hash ties the
 * decision to what the reviewer actually read, even if someone later
 * published another report under the same id.
 *
 * The rules are those of established corrective-action-plan reviews: a
 * plan or action sent back or rejected always says why, and a plan cannot
 * be approved while one of its actions is not.
 */

#define G_LOG_DOMAIN "dlg-review"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "dlg-payload-private.h"
#include "dlg-review.h"

G_STATIC_ASSERT ((int) DLG_REVIEW_ERROR_SYNTAX == (int) DLG_PAYLOAD_ERROR_SYNTAX);
G_STATIC_ASSERT ((int) DLG_REVIEW_ERROR_TOO_LARGE == (int) DLG_PAYLOAD_ERROR_TOO_LARGE);
G_STATIC_ASSERT ((int) DLG_REVIEW_ERROR_FORMAT == (int) DLG_PAYLOAD_ERROR_FORMAT);
G_STATIC_ASSERT ((int) DLG_REVIEW_ERROR_MISSING_MEMBER == (int) DLG_PAYLOAD_ERROR_MISSING_MEMBER);
G_STATIC_ASSERT ((int) DLG_REVIEW_ERROR_UNKNOWN_MEMBER == (int) DLG_PAYLOAD_ERROR_UNKNOWN_MEMBER);
G_STATIC_ASSERT ((int) DLG_REVIEW_ERROR_WRONG_TYPE == (int) DLG_PAYLOAD_ERROR_WRONG_TYPE);
G_STATIC_ASSERT ((int) DLG_REVIEW_ERROR_INVALID_VALUE == (int) DLG_PAYLOAD_ERROR_INVALID_VALUE);

struct _DlgReview
{
  GObject      parent_instance;

  GBytes      *payload;
  char        *id;
  char        *report_id;
  char        *report_sha256;
  char        *created_at;
  DlgParty    *reviewer;
  DlgDecision  decision;
  char        *reason;
  GPtrArray   *actions;         /* DlgActionDecision* */
};

G_DEFINE_FINAL_TYPE (DlgReview, dlg_review, G_TYPE_OBJECT)

G_DEFINE_QUARK (dlg-review-error-quark, dlg_review_error)

enum {
  PROP_0,
  PROP_ID,
  PROP_REPORT_ID,
  PROP_DECISION,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static const char * const decision_names[] = {
  [DLG_DECISION_APPROVED] = "approved",
  [DLG_DECISION_CHANGES_REQUESTED] = "changes_requested",
  [DLG_DECISION_REJECTED] = "rejected",
};

/**
 * dlg_decision_to_string:
 *
 * Returns: the decision as the review payload writes it
 */
const char *
dlg_decision_to_string (DlgDecision decision)
{
  g_return_val_if_fail (decision <= DLG_DECISION_REJECTED, NULL);
  return decision_names[decision];
}

gboolean
dlg_decision_from_string (const char  *string,
                          DlgDecision *decision)
{
  for (guint i = 0; i < G_N_ELEMENTS (decision_names); i++)
    if (g_strcmp0 (string, decision_names[i]) == 0)
      {
        *decision = (DlgDecision) i;
        return TRUE;
      }
  return FALSE;
}

/**
 * dlg_decision_get_label:
 *
 * Returns: the decision in words, translated
 */
const char *
dlg_decision_get_label (DlgDecision decision)
{
  switch (decision)
    {
    case DLG_DECISION_APPROVED: return C_("review decision", "Approved");
    case DLG_DECISION_CHANGES_REQUESTED: return C_("review decision", "Changes requested");
    case DLG_DECISION_REJECTED: return C_("review decision", "Rejected");
    default: g_return_val_if_reached (NULL);
    }
}

/**
 * dlg_action_decision_new:
 *
 * Returns: (transfer full): a decision about one action
 */
DlgActionDecision *
dlg_action_decision_new (const char  *action_id,
                         DlgDecision  decision,
                         const char  *reason)
{
  DlgActionDecision *self = g_new0 (DlgActionDecision, 1);

  self->action_id = g_strdup (action_id);
  self->decision = decision;
  self->reason = g_strdup (reason);
  return self;
}

void
dlg_action_decision_free (DlgActionDecision *decision)
{
  if (decision == NULL)
    return;
  g_free (decision->action_id);
  g_free (decision->reason);
  g_free (decision);
}

static void
dlg_review_finalize (GObject *object)
{
  DlgReview *self = (DlgReview *)object;

  g_clear_pointer (&self->payload, g_bytes_unref);
  g_clear_pointer (&self->id, g_free);
  g_clear_pointer (&self->report_id, g_free);
  g_clear_pointer (&self->report_sha256, g_free);
  g_clear_pointer (&self->created_at, g_free);
  g_clear_pointer (&self->reviewer, dlg_party_free);
  g_clear_pointer (&self->reason, g_free);
  g_clear_pointer (&self->actions, g_ptr_array_unref);

  G_OBJECT_CLASS (dlg_review_parent_class)->finalize (object);
}

static void
dlg_review_get_property (GObject    *object,
                         guint       prop_id,
                         GValue     *value,
                         GParamSpec *pspec)
{
  DlgReview *self = DLG_REVIEW (object);

  switch (prop_id)
    {
    case PROP_ID:
      g_value_set_string (value, self->id);
      break;
    case PROP_REPORT_ID:
      g_value_set_string (value, self->report_id);
      break;
    case PROP_DECISION:
      g_value_set_string (value, dlg_decision_to_string (self->decision));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
dlg_review_class_init (DlgReviewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = dlg_review_finalize;
  object_class->get_property = dlg_review_get_property;

  /* Read-only: a review never changes once made. */
  properties[PROP_ID] =
    g_param_spec_string ("id", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_REPORT_ID] =
    g_param_spec_string ("report-id", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_DECISION] =
    g_param_spec_string ("decision", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
dlg_review_init (DlgReview *self)
{
  self->actions = g_ptr_array_new_with_free_func ((GDestroyNotify) dlg_action_decision_free);
}

static gboolean
is_blank (const char *text)
{
  for (const char *p = text; p && *p; p++)
    if (!g_ascii_isspace (*p))
      return FALSE;
  return TRUE;
}

static gboolean
has_reason (const char *reason)
{
  return !is_blank (reason);
}

/* The rules a review must follow whichever way it was made. */
static gboolean
check_rules (DlgReview  *self,
             DlgCheck   *c)
{
  if (self->decision != DLG_DECISION_APPROVED && !has_reason (self->reason))
    return dlg_check_fail (c, DLG_REVIEW_ERROR_REASON_REQUIRED, "/reason",
                           _("a plan that is sent back or rejected needs a reason"));

  for (guint i = 0; i < self->actions->len; i++)
    {
      const DlgActionDecision *a = g_ptr_array_index (self->actions, i);
      g_autofree char *p = dlg_pointer_index ("/actions", NULL, i);

      if (a->decision != DLG_DECISION_APPROVED && !has_reason (a->reason))
        {
          g_autofree char *rp = dlg_pointer_append (p, "reason");

          return dlg_check_fail (c, DLG_REVIEW_ERROR_REASON_REQUIRED, rp,
                                 _("the action “%s” is sent back or rejected without a reason"),
                                 a->action_id);
        }
      if (self->decision == DLG_DECISION_APPROVED && a->decision != DLG_DECISION_APPROVED)
        {
          g_autofree char *dp = dlg_pointer_append (p, "decision");

          return dlg_check_fail (c, DLG_REVIEW_ERROR_INCONSISTENT, dp,
                                 _("the plan is approved but the action “%s” is not"), a->action_id);
        }
      for (guint j = 0; j < i; j++)
        if (strcmp (((DlgActionDecision *) g_ptr_array_index (self->actions, j))->action_id, a->action_id) == 0)
          return dlg_check_fail (c, DLG_PAYLOAD_ERROR_INVALID_VALUE, p,
                                 _("the action “%s” is reviewed twice"), a->action_id);
    }
  return TRUE;
}

static DlgReview *parse_payload (GBytes  *payload,
                                 GError **error);

/* A blank reason is no reason; it is written as null. */
static void
add_reason (JsonBuilder *b,
            const char  *reason)
{
  json_builder_set_member_name (b, "reason");
  if (!is_blank (reason))
    json_builder_add_string_value (b, reason);
  else
    json_builder_add_null_value (b);
}

/**
 * dlg_review_new:
 * @report_id: the id of the report reviewed
 * @report_sha256: the SHA-256 (lower-case hex) of the exact report JWS
 *   the reviewer read
 * @reviewer: who reviews: a name and an enterprise or VAT number
 * @decision: the decision on the whole action plan
 * @reason: (nullable): why; required unless @decision is approved
 * @actions: (nullable) (element-type DlgActionDecision): decisions on
 *   single actions
 * @error: a #GError
 *
 * Returns: (transfer full): the review, or %NULL with @error set:
 *   %DLG_REVIEW_ERROR_REASON_REQUIRED when a reason is missing,
 *   %DLG_REVIEW_ERROR_INCONSISTENT when the plan is approved while an
 *   action is not, %DLG_REVIEW_ERROR_INVALID_VALUE for a malformed id or hash
 */
DlgReview *
dlg_review_new (const char      *report_id,
                const char      *report_sha256,
                const DlgParty  *reviewer,
                DlgDecision      decision,
                const char      *reason,
                GPtrArray       *actions,
                GError         **error)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GBytes) payload = NULL;
  g_autofree char *id = g_uuid_string_random ();
  g_autofree char *now = dlg_payload_now ();

  g_return_val_if_fail (report_id != NULL, NULL);
  g_return_val_if_fail (report_sha256 != NULL, NULL);
  g_return_val_if_fail (reviewer != NULL, NULL);
  g_return_val_if_fail (decision <= DLG_DECISION_REJECTED, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!dlg_payload_string_is (report_id, DLG_STRING_UUID4))
    {
      g_set_error (error, DLG_REVIEW_ERROR, DLG_REVIEW_ERROR_INVALID_VALUE,
                   _("“%s” is not the id of a report."), report_id);
      return NULL;
    }
  if (!dlg_payload_string_is (report_sha256, DLG_STRING_SHA256))
    {
      g_set_error (error, DLG_REVIEW_ERROR, DLG_REVIEW_ERROR_INVALID_VALUE,
                   _("“%s” is not a SHA-256 hash in lower-case hexadecimal."), report_sha256);
      return NULL;
    }
  if (reviewer->name == NULL || !dlg_payload_string_is (reviewer->name, DLG_STRING_LINE) ||
      reviewer->id == NULL || !dlg_payload_string_is (reviewer->id, DLG_STRING_PARTY_ID))
    {
      g_set_error_literal (error, DLG_REVIEW_ERROR, DLG_REVIEW_ERROR_INVALID_VALUE,
                           _("A review must name its reviewer and their enterprise or VAT number. "
                             "Complete your organisation profile in Preferences."));
      return NULL;
    }

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "format");
  json_builder_add_string_value (b, DLG_REVIEW_FORMAT);
  json_builder_set_member_name (b, "id");
  json_builder_add_string_value (b, id);
  json_builder_set_member_name (b, "report_id");
  json_builder_add_string_value (b, report_id);
  json_builder_set_member_name (b, "report_sha256");
  json_builder_add_string_value (b, report_sha256);
  json_builder_set_member_name (b, "created_at");
  json_builder_add_string_value (b, now);
  json_builder_set_member_name (b, "reviewer");
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "name");
  json_builder_add_string_value (b, reviewer->name);
  json_builder_set_member_name (b, "id");
  json_builder_add_string_value (b, reviewer->id);
  json_builder_end_object (b);
  json_builder_set_member_name (b, "decision");
  json_builder_add_string_value (b, dlg_decision_to_string (decision));
  add_reason (b, reason);
  json_builder_set_member_name (b, "actions");
  json_builder_begin_array (b);
  for (guint i = 0; actions && i < actions->len; i++)
    {
      const DlgActionDecision *a = g_ptr_array_index (actions, i);

      g_return_val_if_fail (a->action_id != NULL && a->decision <= DLG_DECISION_REJECTED, NULL);

      json_builder_begin_object (b);
      json_builder_set_member_name (b, "id");
      json_builder_add_string_value (b, a->action_id);
      json_builder_set_member_name (b, "decision");
      json_builder_add_string_value (b, dlg_decision_to_string (a->decision));
      add_reason (b, a->reason);
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
  json_builder_end_object (b);

  root = json_builder_get_root (b);
  payload = dlg_payload_serialize (root, FALSE);
  return parse_payload (payload, error);
}

static gboolean
parse_decision (DlgCheck           *c,
                const DlgJsonValue *o,
                const char         *pointer,
                DlgDecision        *decision)
{
  const DlgJsonValue *value = dlg_check_member (c, o, pointer, "decision", DLG_JSON_STRING, FALSE);
  g_autofree char *p = NULL;

  if (value == NULL)
    return FALSE;
  if (dlg_decision_from_string (value->string, decision))
    return TRUE;

  p = dlg_pointer_append (pointer, "decision");
  return dlg_check_fail (c, DLG_PAYLOAD_ERROR_INVALID_VALUE, p,
                         _("“%s” is not a decision (approved, changes_requested or rejected)"),
                         value->string);
}

static DlgReview *
parse_payload (GBytes  *payload,
               GError **error)
{
  static const char * const members[] = {
    "format", "id", "report_id", "report_sha256", "created_at", "reviewer", "decision", "reason",
    "actions", NULL
  };
  static const char * const reviewer_members[] = { "name", "id", NULL };
  static const char * const action_members[] = { "id", "decision", "reason", NULL };
  g_autoptr(DlgReview) self = g_object_new (DLG_TYPE_REVIEW, NULL);
  g_autoptr(DlgJsonDoc) doc = NULL;
  DlgCheck check = { DLG_REVIEW_ERROR, _("Invalid review"), error };
  DlgCheck *c = &check;
  const DlgJsonValue *root, *reviewer, *actions;
  const char *id, *report_id, *report_sha256, *created_at, *reason, *name, *party_id;

  self->payload = g_bytes_ref (payload);
  if (!(doc = dlg_check_parse (c, payload, DLG_REVIEW_MAX_SIZE)))
    return NULL;
  root = dlg_json_doc_get_root (doc);

  if (!dlg_check_format (c, root, DLG_REVIEW_FORMAT) ||
      !dlg_check_members (c, root, "", members, TRUE) ||
      !dlg_check_string (c, root, "", "id", DLG_STRING_UUID4, FALSE, 36, &id) ||
      !dlg_check_string (c, root, "", "report_id", DLG_STRING_UUID4, FALSE, 36, &report_id) ||
      !dlg_check_string (c, root, "", "report_sha256", DLG_STRING_SHA256, FALSE, 64, &report_sha256) ||
      !dlg_check_string (c, root, "", "created_at", DLG_STRING_TIMESTAMP, FALSE, 64, &created_at) ||
      !(reviewer = dlg_check_member (c, root, "", "reviewer", DLG_JSON_OBJECT, FALSE)) ||
      !dlg_check_members (c, reviewer, "/reviewer", reviewer_members, FALSE) ||
      !dlg_check_string (c, reviewer, "/reviewer", "name", DLG_STRING_LINE, FALSE, 1024, &name) ||
      !dlg_check_string (c, reviewer, "/reviewer", "id", DLG_STRING_PARTY_ID, FALSE, 64, &party_id) ||
      !parse_decision (c, root, "", &self->decision) ||
      !dlg_check_string (c, root, "", "reason", DLG_STRING_TEXT, TRUE, DLG_REVIEW_MAX_REASON, &reason) ||
      !(actions = dlg_check_array (c, root, "", "actions", DLG_REVIEW_MAX_ACTIONS)))
    return NULL;

  self->id = g_strdup (id);
  self->report_id = g_strdup (report_id);
  self->report_sha256 = g_strdup (report_sha256);
  self->created_at = g_strdup (created_at);
  self->reviewer = dlg_party_new (name, party_id);
  self->reason = g_strdup (reason);

  for (guint i = 0; i < actions->length; i++)
    {
      const DlgJsonValue *o = actions->elements[i];
      g_autofree char *p = dlg_pointer_index ("/actions", NULL, i);
      const char *action_id, *action_reason;
      DlgDecision decision;

      if (!dlg_json_is_object (o))
        {
          dlg_check_fail (c, DLG_PAYLOAD_ERROR_WRONG_TYPE, p,
                          _("expected an object, found %s"), dlg_json_type_name (o));
          return NULL;
        }
      if (!dlg_check_members (c, o, p, action_members, FALSE) ||
          !dlg_check_string (c, o, p, "id", DLG_STRING_ID, FALSE, 128, &action_id) ||
          !parse_decision (c, o, p, &decision) ||
          !dlg_check_string (c, o, p, "reason", DLG_STRING_TEXT, TRUE, DLG_REVIEW_MAX_REASON, &action_reason))
        return NULL;

      g_ptr_array_add (self->actions, dlg_action_decision_new (action_id, decision, action_reason));
    }

  if (!check_rules (self, c))
    return NULL;

  return g_steal_pointer (&self);
}

/**
 * dlg_review_new_from_payload:
 * @payload: the payload bytes, e.g. from dlg_jws_get_payload()
 * @error: a #GError
 *
 * Reads a review as strictly as dlg_report_new_from_payload() reads a
 * report, and enforces the review rules: a reason for every decision that
 * is not an approval, no approved plan with an action that is not, no
 * action reviewed twice.
 *
 * Returns: (transfer full): the review, or %NULL with @error set in the
 *   %DLG_REVIEW_ERROR domain
 */
DlgReview *
dlg_review_new_from_payload (GBytes  *payload,
                             GError **error)
{
  g_return_val_if_fail (payload != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  return parse_payload (payload, error);
}

/**
 * dlg_review_new_from_jws:
 * @jws: a signed review, as dlg_jws_parse() read it
 * @key: the key trusted for the reviewer
 * @error: a #GError
 *
 * Verifies the signature (errors in %DLG_JWS_ERROR), that the document
 * is a review (%DLG_REVIEW_ERROR_FORMAT otherwise), and reads it as
 * dlg_review_new_from_payload() does.
 *
 * Returns: (transfer full): the review, or %NULL with @error set
 */
DlgReview *
dlg_review_new_from_jws (DlgJws  *jws,
                         DlgKey  *key,
                         GError **error)
{
  DlgCheck check = { DLG_REVIEW_ERROR, _("Invalid review"), error };
  GBytes *payload;

  g_return_val_if_fail (DLG_IS_JWS (jws), NULL);
  g_return_val_if_fail (DLG_IS_KEY (key), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!(payload = dlg_check_jws (&check, jws, key, DLG_REVIEW_JWS_TYPE)))
    return NULL;
  return parse_payload (payload, error);
}

/**
 * dlg_review_sign:
 * @key: the reviewing organisation's key pair
 *
 * Returns: (transfer full): the review as a compact JWS of type
 *   %DLG_REVIEW_JWS_TYPE, or %NULL with @error set
 */
char *
dlg_review_sign (DlgReview  *self,
                 DlgKey     *key,
                 GError    **error)
{
  g_return_val_if_fail (DLG_IS_REVIEW (self), NULL);
  g_return_val_if_fail (DLG_IS_KEY (key), NULL);

  return dlg_jws_sign (key, DLG_REVIEW_JWS_TYPE, self->payload, error);
}

/**
 * dlg_review_get_payload:
 *
 * Returns: (transfer none): the exact payload bytes, to sign or hash
 */
GBytes *
dlg_review_get_payload (DlgReview *self)
{
  g_return_val_if_fail (DLG_IS_REVIEW (self), NULL);
  return self->payload;
}

/**
 * dlg_review_to_pretty_json:
 *
 * Returns: (transfer full): the payload indented for people to read
 */
GBytes *
dlg_review_to_pretty_json (DlgReview *self)
{
  g_autoptr(JsonNode) node = NULL;
  gsize size;
  const char *data;

  g_return_val_if_fail (DLG_IS_REVIEW (self), NULL);

  data = g_bytes_get_data (self->payload, &size);
  node = dlg_json_parse (data, size, NULL, NULL, NULL);
  g_return_val_if_fail (node != NULL, NULL);
  return dlg_payload_serialize (node, TRUE);
}

const char *
dlg_review_get_id (DlgReview *self)
{
  g_return_val_if_fail (DLG_IS_REVIEW (self), NULL);
  return self->id;
}

const char *
dlg_review_get_report_id (DlgReview *self)
{
  g_return_val_if_fail (DLG_IS_REVIEW (self), NULL);
  return self->report_id;
}

const char *
dlg_review_get_report_sha256 (DlgReview *self)
{
  g_return_val_if_fail (DLG_IS_REVIEW (self), NULL);
  return self->report_sha256;
}

/**
 * dlg_review_is_for_report:
 * @report_jws: the exact bytes of a signed report (compact JWS)
 *
 * Returns: whether this review is about exactly that signed report
 */
gboolean
dlg_review_is_for_report (DlgReview *self,
                          GBytes    *report_jws)
{
  g_autofree char *sha256 = NULL;

  g_return_val_if_fail (DLG_IS_REVIEW (self), FALSE);
  g_return_val_if_fail (report_jws != NULL, FALSE);

  sha256 = dlg_sha256_hex (report_jws);
  return strcmp (sha256, self->report_sha256) == 0;
}

const char *
dlg_review_get_created_at (DlgReview *self)
{
  g_return_val_if_fail (DLG_IS_REVIEW (self), NULL);
  return self->created_at;
}

const DlgParty *
dlg_review_get_reviewer (DlgReview *self)
{
  g_return_val_if_fail (DLG_IS_REVIEW (self), NULL);
  return self->reviewer;
}

DlgDecision
dlg_review_get_decision (DlgReview *self)
{
  g_return_val_if_fail (DLG_IS_REVIEW (self), DLG_DECISION_REJECTED);
  return self->decision;
}

/**
 * dlg_review_get_reason:
 *
 * Returns: (nullable): why the reviewer decided so
 */
const char *
dlg_review_get_reason (DlgReview *self)
{
  g_return_val_if_fail (DLG_IS_REVIEW (self), NULL);
  return self->reason;
}

guint
dlg_review_get_n_actions (DlgReview *self)
{
  g_return_val_if_fail (DLG_IS_REVIEW (self), 0);
  return self->actions->len;
}

const DlgActionDecision *
dlg_review_get_action (DlgReview *self,
                       guint      index)
{
  g_return_val_if_fail (DLG_IS_REVIEW (self), NULL);
  g_return_val_if_fail (index < self->actions->len, NULL);
  return g_ptr_array_index (self->actions, index);
}

/**
 * dlg_review_lookup_action:
 *
 * Returns: (nullable) (transfer none): the decision on @action_id, if the
 *   reviewer made one
 */
const DlgActionDecision *
dlg_review_lookup_action (DlgReview  *self,
                          const char *action_id)
{
  g_return_val_if_fail (DLG_IS_REVIEW (self), NULL);

  for (guint i = 0; i < self->actions->len; i++)
    {
      const DlgActionDecision *a = g_ptr_array_index (self->actions, i);

      if (strcmp (a->action_id, action_id) == 0)
        return a;
    }
  return NULL;
}
