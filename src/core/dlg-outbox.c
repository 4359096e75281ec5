/* dlg-outbox.c - signed reports waiting to be delivered, and their fate
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * One uploader sends the queued documents one at a time, in the order they
 * were signed. What happens to a document:
 *
 *  - the server acknowledges it (201, or 200 for one it had already): it is
 *    delivered, with the server's receipt and time;
 *  - the network fails, the request times out, or the server answers 408,
 *    429 or 5xx: it stays queued and is tried again after a delay drawn at
 *    random between zero and an exponentially growing cap ("full jitter"),
 *    never sooner than the server's Retry-After. Later documents wait
 *    behind it: what stopped it would stop them too;
 *  - the server refuses it with another 4xx: it is rejected, with the
 *    server's reason and what to do, and the next one goes. A refused token
 *    (401) stops the uploader until the token changes or someone retries.
 *
 * Nothing is ever deleted, and "sending" is never written down: after a
 * crash or a kill the document is simply sent again, and the server, for
 * which the document's id is the key, answers with the original receipt.
 * The network monitor only makes waiting documents go sooner when a
 * network appears; it never stops an attempt.
 */

#define G_LOG_DOMAIN "dlg-outbox"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <json-glib/json-glib.h>

#include "dlg-outbox.h"

#define DEFAULT_RETRY_BASE_MS 2000
#define DEFAULT_RETRY_MAX_MS (15 * 60 * 1000)

/* ------------------------------------------------------------------------ */
/* DlgOutboxItem                                                            */
/* ------------------------------------------------------------------------ */

struct _DlgOutboxItem
{
  GObject         parent_instance;

  DlgOutboxEntry *entry;
  char           *hint;
  char           *received_at;
  GDateTime      *next_attempt;
  GDateTime      *delivered_at;
};

G_DEFINE_FINAL_TYPE (DlgOutboxItem, dlg_outbox_item, G_TYPE_OBJECT)

enum {
  ITEM_PROP_0,
  ITEM_PROP_ID,
  ITEM_PROP_KIND,
  ITEM_PROP_ASSESSMENT_ID,
  ITEM_PROP_STATE,
  ITEM_PROP_ATTEMPTS,
  ITEM_PROP_NEXT_ATTEMPT,
  ITEM_PROP_LAST_ERROR,
  ITEM_PROP_HINT,
  ITEM_PROP_PROBLEM,
  ITEM_PROP_RECEIPT,
  ITEM_PROP_RECEIVED_AT,
  ITEM_PROP_DELIVERED_AT,
  N_ITEM_PROPS
};

static GParamSpec *item_properties[N_ITEM_PROPS];

static void
dlg_outbox_item_finalize (GObject *object)
{
  DlgOutboxItem *self = DLG_OUTBOX_ITEM (object);

  dlg_outbox_entry_free (self->entry);
  g_free (self->hint);
  g_free (self->received_at);
  g_clear_pointer (&self->next_attempt, g_date_time_unref);
  g_clear_pointer (&self->delivered_at, g_date_time_unref);

  G_OBJECT_CLASS (dlg_outbox_item_parent_class)->finalize (object);
}

static void
dlg_outbox_item_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  DlgOutboxItem *self = DLG_OUTBOX_ITEM (object);

  switch (prop_id)
    {
    case ITEM_PROP_ID:
      g_value_set_string (value, self->entry->id);
      break;
    case ITEM_PROP_KIND:
      g_value_set_int (value, self->entry->kind);
      break;
    case ITEM_PROP_ASSESSMENT_ID:
      g_value_set_string (value, self->entry->assessment_id);
      break;
    case ITEM_PROP_STATE:
      g_value_set_int (value, self->entry->state);
      break;
    case ITEM_PROP_ATTEMPTS:
      g_value_set_uint (value, self->entry->attempts);
      break;
    case ITEM_PROP_NEXT_ATTEMPT:
      g_value_set_boxed (value, self->next_attempt);
      break;
    case ITEM_PROP_LAST_ERROR:
      g_value_set_string (value, self->entry->last_error);
      break;
    case ITEM_PROP_HINT:
      g_value_set_string (value, self->hint);
      break;
    case ITEM_PROP_PROBLEM:
      g_value_set_string (value, self->entry->problem);
      break;
    case ITEM_PROP_RECEIPT:
      g_value_set_string (value, self->entry->receipt);
      break;
    case ITEM_PROP_RECEIVED_AT:
      g_value_set_string (value, self->received_at);
      break;
    case ITEM_PROP_DELIVERED_AT:
      g_value_set_boxed (value, self->delivered_at);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
dlg_outbox_item_class_init (DlgOutboxItemClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags flags = G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  object_class->finalize = dlg_outbox_item_finalize;
  object_class->get_property = dlg_outbox_item_get_property;

  item_properties[ITEM_PROP_ID] = g_param_spec_string ("id", NULL, NULL, NULL, flags);
  /* DlgSignedKind and DlgOutboxState, as plain integers: no GType needed. */
  item_properties[ITEM_PROP_KIND] = g_param_spec_int ("kind", NULL, NULL, 0, DLG_SIGNED_REVIEW, 0, flags);
  item_properties[ITEM_PROP_ASSESSMENT_ID] = g_param_spec_string ("assessment-id", NULL, NULL, NULL, flags);
  item_properties[ITEM_PROP_STATE] = g_param_spec_int ("state", NULL, NULL, 0, DLG_OUTBOX_REJECTED, 0, flags);
  item_properties[ITEM_PROP_ATTEMPTS] = g_param_spec_uint ("attempts", NULL, NULL, 0, G_MAXUINT, 0, flags);
  item_properties[ITEM_PROP_NEXT_ATTEMPT] = g_param_spec_boxed ("next-attempt", NULL, NULL, G_TYPE_DATE_TIME, flags);
  item_properties[ITEM_PROP_LAST_ERROR] = g_param_spec_string ("last-error", NULL, NULL, NULL, flags);
  item_properties[ITEM_PROP_HINT] = g_param_spec_string ("hint", NULL, NULL, NULL, flags);
  item_properties[ITEM_PROP_PROBLEM] = g_param_spec_string ("problem", NULL, NULL, NULL, flags);
  item_properties[ITEM_PROP_RECEIPT] = g_param_spec_string ("receipt", NULL, NULL, NULL, flags);
  item_properties[ITEM_PROP_RECEIVED_AT] = g_param_spec_string ("received-at", NULL, NULL, NULL, flags);
  item_properties[ITEM_PROP_DELIVERED_AT] = g_param_spec_boxed ("delivered-at", NULL, NULL, G_TYPE_DATE_TIME, flags);
  g_object_class_install_properties (object_class, N_ITEM_PROPS, item_properties);
}

static void
dlg_outbox_item_init (DlgOutboxItem *self)
{
}

static const struct
{
  DlgSyncError  code;
  const char   *name;
} problem_names[] = {
  { DLG_SYNC_ERROR_NETWORK, "network" },
  { DLG_SYNC_ERROR_TIMEOUT, "timeout" },
  { DLG_SYNC_ERROR_TLS, "tls" },
  { DLG_SYNC_ERROR_SERVER, "server" },
  { DLG_SYNC_ERROR_BUSY, "busy" },
  { DLG_SYNC_ERROR_PROTOCOL, "protocol" },
  { DLG_SYNC_ERROR_NOT_CONFIGURED, "not-configured" },
  { DLG_SYNC_ERROR_INVALID_ENDPOINT, "invalid-endpoint" },
  { DLG_SYNC_ERROR_UNAUTHORIZED, "unauthorized" },
  { DLG_SYNC_ERROR_FORBIDDEN, "forbidden" },
  { DLG_SYNC_ERROR_NOT_FOUND, "not-found" },
  { DLG_SYNC_ERROR_CONFLICT, "conflict" },
  { DLG_SYNC_ERROR_TOO_LARGE, "too-large" },
  { DLG_SYNC_ERROR_UNKNOWN_KEY, "unknown-key" },
  { DLG_SYNC_ERROR_BAD_SIGNATURE, "bad-signature" },
  { DLG_SYNC_ERROR_UNKNOWN_RECIPIENT, "unknown-recipient" },
  { DLG_SYNC_ERROR_REJECTED, "rejected" },
};

static const char *
problem_name (const GError *error)
{
  if (error->domain == DLG_SYNC_ERROR)
    for (guint i = 0; i < G_N_ELEMENTS (problem_names); i++)
      if (problem_names[i].code == (DlgSyncError) error->code)
        return problem_names[i].name;
  return "failed";
}

/* Every problem the outbox can meet: the codes of the server's problem
 * documents (docs/server.md), and for answers without one, the names of
 * the DlgSyncError codes above. Each says what happened and what to do;
 * @retried marks those Diligence gets over by itself, by trying again. */
static const struct
{
  const char *code;
  gboolean    retried;
  const char *summary;
  const char *advice;
} problems[] = {
  /* Refusals of the token or of the organisation. */
  { "unauthorized", FALSE,
    N_("The server refused your token."),
    N_("Check the token in Preferences, or ask the server's administrator for a new one. Nothing is sent until "
       "then; with a valid token, everything waiting goes by itself.") },
  { "forbidden", FALSE,
    N_("The server does not let your organisation send this."),
    N_("Your organisation's role on the server (supplier, buyer or signatory) does not allow sending this. Ask "
       "the server's administrator to give it the role it needs, then choose Send Again.") },
  { "wrong-sender", FALSE,
    N_("The report names another organisation than your token's."),
    N_("The token in Preferences belongs to another organisation than the one that signed this. Enter your "
       "own organisation's token, then choose Send Again. If the enterprise number in your organisation's "
       "profile is wrong, correct it and sign a new version.") },
  { "unknown-key", FALSE,
    N_("The server does not know the key this was signed with."),
    N_("Send your public key to the server's administrator to enrol it (Preferences → Signatures → Public "
       "Key → Export JWK…), then choose Send Again.") },
  /* Refusals of the document. */
  { "conflict", FALSE,
    N_("The server holds another document with the same id."),
    N_("The server holds a different report with this id. Make a corrected version (Correct… on the "
       "assessment) and sign it; this one stays here as signed.") },
  { "too-large", FALSE,
    N_("It is larger than the server accepts."),
    N_("Save it as a file and send it another way, or ask the server's administrator to accept larger "
       "documents, then choose Send Again.") },
  { "bad-signature", FALSE,
    N_("The signature does not match the document."),
    N_("It was changed after it was signed, or the server has another key under its id. Sign a new version, "
       "and tell the server's administrator if it is refused again.") },
  { "unknown-recipient", FALSE,
    N_("A recipient is not registered on the server."),
    N_("Check the recipients' enterprise numbers. If they are right, ask the server's administrator to "
       "register those organisations, then choose Send Again; if not, sign a corrected version.") },
  { "invalid-document", FALSE,
    N_("The server found the document not valid."),
    N_("Save it as a file and open it in Diligence (Open Report or Review…) to see why, then correct the "
       "assessment and sign a new version.") },
  { "unknown-report", FALSE,
    N_("The review is about a report the server did not deliver to you."),
    N_("Reviews go through the server only for reports received from it. Save the review as a file and send "
       "it to the supplier another way.") },
  { "report-mismatch", FALSE,
    N_("The review is about other bytes than the report the server holds."),
    N_("Review the report as the server delivered it (under Received Reports and Reviews), or save this "
       "review as a file and send it to the supplier another way.") },
  { "malformed", FALSE,
    N_("The server could not read what was sent."),
    N_("The server may run another version of Diligence. Choose Send Again; if it is refused again, save "
       "it as a file, send it another way, and tell the server's administrator.") },
  { "unsupported-media-type", FALSE,
    N_("The server does not accept documents in this form."),
    N_("The server may run another version of Diligence. Save it as a file, send it another way, and tell "
       "the server's administrator.") },
  { "length-required", FALSE,
    N_("The server could not tell how long the document is."),
    N_("Something between you and the server, such as a proxy, changed the request. Choose Send Again; if it "
       "is refused again, tell the server's administrator.") },
  /* The server address. */
  { "not-found", FALSE,
    N_("The server does not know where this goes."),
    N_("The server address may not be a Diligence server's. Check it in Preferences, under Sync, then choose "
       "Send Again.") },
  { "method-not-allowed", FALSE,
    N_("The server does not know where this goes."),
    N_("The server address may not be a Diligence server's. Check it in Preferences, under Sync, then choose "
       "Send Again.") },
  { "not-configured", FALSE,
    N_("No server is set up."),
    N_("Enter the server's address and your token in Preferences, under Sync. Until then, save it as a "
       "file to send it.") },
  { "invalid-endpoint", FALSE,
    N_("The server address is not valid."),
    N_("Correct the server address in Preferences, under Sync.") },
  { "rejected", FALSE,
    N_("The server refused it."),
    N_("Read the server's reason above. Correct the report and sign a new version, or send it as a file.") },
  /* What Diligence gets over by trying again. */
  { "network", TRUE,
    N_("The server could not be reached."),
    N_("Nothing to do: Diligence sends it as soon as the server can be reached.") },
  { "timeout", TRUE,
    N_("The server did not answer in time."),
    N_("Nothing to do: Diligence sends it as soon as the server can be reached.") },
  { "tls", TRUE,
    N_("The server’s identity could not be verified."),
    N_("Check the server address in Preferences, or ask the server's administrator about its certificate. "
       "Diligence keeps trying.") },
  { "protocol", TRUE,
    N_("The server’s answer could not be read."),
    N_("Diligence keeps trying. If this lasts, check the server address in Preferences: it may not be a "
       "Diligence server's.") },
  { "busy", TRUE,
    N_("The server is busy."),
    N_("Nothing to do: Diligence waits as long as the server asks, then sends it.") },
  { "rate-limited", TRUE,
    N_("The server asked Diligence to slow down."),
    N_("Nothing to do: Diligence waits as long as the server asks, then sends it.") },
  { "server", TRUE,
    N_("The server had a problem."),
    N_("Nothing to do: Diligence tries again later. If this lasts, tell the server's administrator.") },
  { "storage-failed", TRUE,
    N_("The server could not store it."),
    N_("Nothing to do: Diligence tries again later. If this lasts, tell the server's administrator.") },
  { "unavailable", TRUE,
    N_("The server's storage is unavailable."),
    N_("Nothing to do: Diligence tries again later. If this lasts, tell the server's administrator.") },
  { "storage-full", TRUE,
    N_("The server's disk is full."),
    N_("Nothing to do: nothing was lost, and Diligence tries again later. If this lasts, tell the server's "
       "administrator.") },
  { "shutting-down", TRUE,
    N_("The server is restarting."),
    N_("Nothing to do: Diligence sends it again in a moment.") },
};

static int
problem_index (const char *problem)
{
  if (problem != NULL)
    for (guint i = 0; i < G_N_ELEMENTS (problems); i++)
      if (g_str_equal (problems[i].code, problem))
        return (int) i;
  return -1;
}

/**
 * dlg_outbox_problem_get_summary:
 * @problem: (nullable): a problem the outbox recorded: a server's problem
 *   code such as "unknown-key", or "network", "timeout"…
 *
 * Returns: (nullable): what went wrong, in a short translated sentence,
 *   or %NULL for %NULL
 */
const char *
dlg_outbox_problem_get_summary (const char *problem)
{
  int i = problem_index (problem);

  if (problem == NULL)
    return NULL;
  return i >= 0 ? _(problems[i].summary) : _("It could not be sent.");
}

/**
 * dlg_outbox_problem_get_advice:
 * @problem: (nullable): a problem the outbox recorded
 *
 * Returns: (nullable): what the person should do about it, translated,
 *   or %NULL for %NULL
 */
const char *
dlg_outbox_problem_get_advice (const char *problem)
{
  int i = problem_index (problem);

  if (problem == NULL)
    return NULL;
  return _(i >= 0 ? problems[i].advice : problems[problem_index ("rejected")].advice);
}

/* What the person can do about the state an item is in. */
static char *
hint_for (const DlgOutboxEntry *entry)
{
  const char *p = entry->problem;
  int i = problem_index (p);

  if (entry->state == DLG_OUTBOX_DELIVERED || (entry->last_error == NULL && p == NULL))
    return NULL;

  /* Waiting: for a problem Diligence gets over by itself, what it does;
   * for a refusal someone has dealt with (Send Again), nothing to do. */
  if (entry->state != DLG_OUTBOX_REJECTED)
    {
      if (i >= 0 && problems[i].retried)
        return g_strdup (_(problems[i].advice));
      return g_strdup (_("Nothing to do: Diligence sends it as soon as the server can be reached."));
    }

  return g_strdup (dlg_outbox_problem_get_advice (p ? p : "rejected"));
}

static char *
receipt_time (const char *receipt)
{
  g_autoptr(JsonNode) node = receipt ? json_from_string (receipt, NULL) : NULL;

  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    return NULL;
  return g_strdup (json_object_get_string_member_with_default (json_node_get_object (node), "received_at", NULL));
}

static GDateTime *
date_time_or_null (gint64 usec)
{
  return usec > 0 ? g_date_time_new_from_unix_local (usec / G_USEC_PER_SEC) : NULL;
}

/* Takes @entry and notifies what changed. */
static void
item_set_entry (DlgOutboxItem  *self,
                DlgOutboxEntry *entry)
{
  DlgOutboxEntry *old = self->entry;
  GObject *object = G_OBJECT (self);

  self->entry = entry;
  g_free (self->hint);
  self->hint = hint_for (entry);
  g_free (self->received_at);
  self->received_at = receipt_time (entry->receipt);
  g_clear_pointer (&self->next_attempt, g_date_time_unref);
  self->next_attempt = entry->state == DLG_OUTBOX_QUEUED ? date_time_or_null (entry->next_attempt) : NULL;
  g_clear_pointer (&self->delivered_at, g_date_time_unref);
  self->delivered_at = date_time_or_null (entry->delivered_at);

  if (old == NULL)
    return;

  g_object_freeze_notify (object);
  if (old->state != entry->state)
    g_object_notify_by_pspec (object, item_properties[ITEM_PROP_STATE]);
  if (old->attempts != entry->attempts)
    g_object_notify_by_pspec (object, item_properties[ITEM_PROP_ATTEMPTS]);
  if (old->next_attempt != entry->next_attempt)
    g_object_notify_by_pspec (object, item_properties[ITEM_PROP_NEXT_ATTEMPT]);
  if (g_strcmp0 (old->last_error, entry->last_error) != 0)
    g_object_notify_by_pspec (object, item_properties[ITEM_PROP_LAST_ERROR]);
  g_object_notify_by_pspec (object, item_properties[ITEM_PROP_HINT]);
  if (g_strcmp0 (old->problem, entry->problem) != 0)
    g_object_notify_by_pspec (object, item_properties[ITEM_PROP_PROBLEM]);
  if (g_strcmp0 (old->receipt, entry->receipt) != 0)
    {
      g_object_notify_by_pspec (object, item_properties[ITEM_PROP_RECEIPT]);
      g_object_notify_by_pspec (object, item_properties[ITEM_PROP_RECEIVED_AT]);
    }
  if (old->delivered_at != entry->delivered_at)
    g_object_notify_by_pspec (object, item_properties[ITEM_PROP_DELIVERED_AT]);
  g_object_thaw_notify (object);

  dlg_outbox_entry_free (old);
}

static DlgOutboxItem *
item_new (DlgOutboxEntry *entry)
{
  DlgOutboxItem *self = g_object_new (DLG_TYPE_OUTBOX_ITEM, NULL);

  item_set_entry (self, entry);
  return self;
}

const char *
dlg_outbox_item_get_id (DlgOutboxItem *self)
{
  g_return_val_if_fail (DLG_IS_OUTBOX_ITEM (self), NULL);
  return self->entry->id;
}

DlgSignedKind
dlg_outbox_item_get_kind (DlgOutboxItem *self)
{
  g_return_val_if_fail (DLG_IS_OUTBOX_ITEM (self), DLG_SIGNED_REPORT);
  return self->entry->kind;
}

const char *
dlg_outbox_item_get_assessment_id (DlgOutboxItem *self)
{
  g_return_val_if_fail (DLG_IS_OUTBOX_ITEM (self), NULL);
  return self->entry->assessment_id;
}

DlgOutboxState
dlg_outbox_item_get_state (DlgOutboxItem *self)
{
  g_return_val_if_fail (DLG_IS_OUTBOX_ITEM (self), DLG_OUTBOX_QUEUED);
  return self->entry->state;
}

guint
dlg_outbox_item_get_attempts (DlgOutboxItem *self)
{
  g_return_val_if_fail (DLG_IS_OUTBOX_ITEM (self), 0);
  return self->entry->attempts;
}

/**
 * dlg_outbox_item_get_next_attempt:
 *
 * Returns: (transfer none) (nullable): when a queued item will be tried
 *   again, local time
 */
GDateTime *
dlg_outbox_item_get_next_attempt (DlgOutboxItem *self)
{
  g_return_val_if_fail (DLG_IS_OUTBOX_ITEM (self), NULL);
  return self->next_attempt;
}

/**
 * dlg_outbox_item_get_last_error:
 *
 * Returns: (nullable): why the last attempt failed, or why it was rejected,
 *   in the server's words where it gave some
 */
const char *
dlg_outbox_item_get_last_error (DlgOutboxItem *self)
{
  g_return_val_if_fail (DLG_IS_OUTBOX_ITEM (self), NULL);
  return self->entry->last_error;
}

/**
 * dlg_outbox_item_get_hint:
 *
 * Returns: (nullable): what to do about it, for a rejected item or a
 *   queued one that failed before
 */
const char *
dlg_outbox_item_get_hint (DlgOutboxItem *self)
{
  g_return_val_if_fail (DLG_IS_OUTBOX_ITEM (self), NULL);
  return self->hint;
}

/**
 * dlg_outbox_item_get_problem:
 *
 * Returns: (nullable): a short code for the last failure, e.g.
 *   "unauthorized", "conflict", "network"
 */
const char *
dlg_outbox_item_get_problem (DlgOutboxItem *self)
{
  g_return_val_if_fail (DLG_IS_OUTBOX_ITEM (self), NULL);
  return self->entry->problem;
}

/**
 * dlg_outbox_item_get_receipt:
 *
 * Returns: (nullable): the server's acknowledgement, JSON, once delivered
 */
const char *
dlg_outbox_item_get_receipt (DlgOutboxItem *self)
{
  g_return_val_if_fail (DLG_IS_OUTBOX_ITEM (self), NULL);
  return self->entry->receipt;
}

/**
 * dlg_outbox_item_get_received_at:
 *
 * Returns: (nullable): when the server first received it, RFC 3339, by the
 *   server's clock
 */
const char *
dlg_outbox_item_get_received_at (DlgOutboxItem *self)
{
  g_return_val_if_fail (DLG_IS_OUTBOX_ITEM (self), NULL);
  return self->received_at;
}

/**
 * dlg_outbox_item_get_delivered_at:
 *
 * Returns: (transfer none) (nullable): when the acknowledgement arrived
 *   here, local time
 */
GDateTime *
dlg_outbox_item_get_delivered_at (DlgOutboxItem *self)
{
  g_return_val_if_fail (DLG_IS_OUTBOX_ITEM (self), NULL);
  return self->delivered_at;
}

const char *
dlg_outbox_state_to_string (DlgOutboxState state)
{
  switch (state)
    {
    case DLG_OUTBOX_QUEUED: return "queued";
    case DLG_OUTBOX_SENDING: return "sending";
    case DLG_OUTBOX_DELIVERED: return "delivered";
    case DLG_OUTBOX_REJECTED: return "rejected";
    default: return "unknown";
    }
}

/**
 * dlg_outbox_state_get_label:
 *
 * Returns: the state in words, translated
 */
const char *
dlg_outbox_state_get_label (DlgOutboxState state)
{
  switch (state)
    {
    case DLG_OUTBOX_QUEUED: return _("Queued");
    case DLG_OUTBOX_SENDING: return _("Sending");
    case DLG_OUTBOX_DELIVERED: return _("Delivered");
    case DLG_OUTBOX_REJECTED: return _("Rejected");
    default: return _("Unknown");
    }
}

/**
 * dlg_outbox_state_get_icon_name:
 *
 * Returns: a symbolic icon for the state, shown beside its label (never
 *   instead of it)
 */
const char *
dlg_outbox_state_get_icon_name (DlgOutboxState state)
{
  switch (state)
    {
    case DLG_OUTBOX_QUEUED: return "document-send-symbolic";
    case DLG_OUTBOX_SENDING: return "emblem-synchronizing-symbolic";
    case DLG_OUTBOX_DELIVERED: return "emblem-ok-symbolic";
    case DLG_OUTBOX_REJECTED: return "dialog-error-symbolic";
    default: return "dialog-question-symbolic";
    }
}

/* ------------------------------------------------------------------------ */
/* DlgOutbox                                                                */
/* ------------------------------------------------------------------------ */

struct _DlgOutbox
{
  GObject          parent_instance;

  DlgStore        *store;
  DlgSyncClient   *client;
  GPtrArray       *items;         /* DlgOutboxItem, in the order of sending */
  GHashTable      *by_id;         /* id → DlgOutboxItem, not owned */

  DlgOutboxItem   *sending;       /* the one under way */
  GCancellable    *cancellable;   /* of the request under way */
  GSource         *timer;         /* wakes the uploader for a retry */
  GNetworkMonitor *monitor;
  gulong           monitor_handler;
  gboolean         blocked;       /* a refused token stops everything */
  guint            n_pending;     /* queued or sending */
  guint            base_ms;
  guint            max_ms;
  GList           *flushes;       /* GTask */
};

static void list_model_iface_init (GListModelInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (DlgOutbox, dlg_outbox, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL, list_model_iface_init))

enum {
  PROP_0,
  PROP_STORE,
  PROP_CLIENT,
  PROP_N_PENDING,
  PROP_BLOCKED,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum {
  STATE_CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void schedule (DlgOutbox *self);

static GType
list_model_get_item_type (GListModel *model)
{
  return DLG_TYPE_OUTBOX_ITEM;
}

static guint
list_model_get_n_items (GListModel *model)
{
  return DLG_OUTBOX (model)->items->len;
}

static gpointer
list_model_get_item (GListModel *model,
                     guint       position)
{
  DlgOutbox *self = DLG_OUTBOX (model);

  if (position >= self->items->len)
    return NULL;
  return g_object_ref (g_ptr_array_index (self->items, position));
}

static void
list_model_iface_init (GListModelInterface *iface)
{
  iface->get_item_type = list_model_get_item_type;
  iface->get_n_items = list_model_get_n_items;
  iface->get_item = list_model_get_item;
}

static gboolean
is_pending (DlgOutboxState state)
{
  return state == DLG_OUTBOX_QUEUED || state == DLG_OUTBOX_SENDING;
}

/* Applies @entry to its item, writes it down and tells everyone. */
static void
change (DlgOutbox      *self,
        DlgOutboxItem  *item,
        DlgOutboxEntry *entry,
        gboolean        persist)
{
  guint pending_before = self->n_pending;
  g_autoptr(GError) error = NULL;

  if (persist && !dlg_store_update_outbox (self->store, entry, &error))
    {
      /* Not fatal: the document is safe, only its state is not. At worst
       * it is sent again after a restart, and the server answers with the
       * original receipt. */
      g_message ("Could not record the state of %s: %s", entry->id, error->message);
    }

  if (is_pending (item->entry->state) != is_pending (entry->state))
    self->n_pending += is_pending (entry->state) ? 1 : -1;
  item_set_entry (item, entry);
  g_signal_emit (self, signals[STATE_CHANGED], 0, item);
  if (pending_before != self->n_pending)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_PENDING]);
}

static void
set_blocked (DlgOutbox *self,
             gboolean   blocked)
{
  if (self->blocked == blocked)
    return;
  self->blocked = blocked;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BLOCKED]);
}

static guint
retry_delay_ms (DlgOutbox *self,
                guint      attempts,
                gint64     retry_after)
{
  guint64 cap = self->base_ms;
  guint64 delay;

  /* Full jitter: anywhere from now to a cap that doubles each time, so that
   * many clients coming back at once do not all knock together. */
  for (guint i = 1; i < attempts && cap < self->max_ms; i++)
    cap *= 2;
  cap = MIN (cap, self->max_ms);
  delay = (guint64) (g_random_double () * cap);

  if (retry_after >= 0)
    delay = MAX (delay, (guint64) retry_after * 1000);
  return (guint) MIN (delay, (guint64) G_MAXUINT);
}

typedef struct
{
  GCancellable *cancellable;
  gulong        handler;
} Flush;

static void
flush_free (Flush *flush)
{
  g_clear_object (&flush->cancellable);
  g_free (flush);
}

static void
finish_flushes (DlgOutbox    *self,
                const GError *error)
{
  GList *tasks = g_steal_pointer (&self->flushes);

  for (GList *l = tasks; l; l = l->next)
    {
      g_autoptr(GTask) task = l->data;
      Flush *flush = g_task_get_task_data (task);

      if (flush->handler != 0)
        g_cancellable_disconnect (flush->cancellable, flush->handler);
      flush->handler = 0;

      if (error != NULL)
        g_task_return_error (task, g_error_copy (error));
      else
        g_task_return_boolean (task, TRUE);
    }
  g_list_free (tasks);
}

static void
submitted_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(DlgOutbox) self = user_data;
  g_autoptr(DlgSyncReceipt) receipt = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(DlgOutboxItem) item = NULL;
  DlgOutboxEntry *entry;
  gint64 retry_after = -1;
  gint64 now = g_get_real_time ();
  g_autofree char *problem = NULL;

  receipt = dlg_sync_client_submit_finish (DLG_SYNC_CLIENT (source), result, &retry_after, &problem, &error);
  item = g_steal_pointer (&self->sending);
  g_clear_object (&self->cancellable);

  /* Gone from the outbox while under way (disposed). */
  if (item == NULL || self->store == NULL)
    return;

  entry = dlg_outbox_entry_copy (item->entry);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      /* Abandoned, e.g. for a new client: not an attempt. */
      entry->state = DLG_OUTBOX_QUEUED;
      change (self, item, entry, FALSE);
    }
  else if (receipt != NULL)
    {
      entry->state = DLG_OUTBOX_DELIVERED;
      entry->attempts++;
      entry->delivered_at = now;
      entry->next_attempt = 0;
      g_clear_pointer (&entry->last_error, g_free);
      g_clear_pointer (&entry->problem, g_free);
      g_free (entry->receipt);
      entry->receipt = g_strdup (receipt->json);
      change (self, item, entry, TRUE);
    }
  else if (dlg_sync_error_is_retryable (error))
    {
      entry->state = DLG_OUTBOX_QUEUED;
      entry->attempts++;
      entry->next_attempt = now + (gint64) retry_delay_ms (self, entry->attempts, retry_after) * 1000;
      g_free (entry->last_error);
      entry->last_error = g_strdup (error->message);
      g_free (entry->problem);
      entry->problem = problem ? g_strdup (problem) : g_strdup (problem_name (error));
      change (self, item, entry, TRUE);
    }
  else
    {
      entry->state = DLG_OUTBOX_REJECTED;
      entry->attempts++;
      g_free (entry->last_error);
      entry->last_error = g_strdup (error->message);
      g_free (entry->problem);
      entry->problem = problem ? g_strdup (problem) : g_strdup (problem_name (error));
      change (self, item, entry, TRUE);

      /* Every other document would be refused for the same reason. */
      if (g_error_matches (error, DLG_SYNC_ERROR, DLG_SYNC_ERROR_UNAUTHORIZED) ||
          g_error_matches (error, DLG_SYNC_ERROR, DLG_SYNC_ERROR_NOT_CONFIGURED))
        set_blocked (self, TRUE);
    }

  schedule (self);
}

static void
send_item (DlgOutbox     *self,
           DlgOutboxItem *item)
{
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) error = NULL;
  DlgOutboxEntry *entry;

  bytes = dlg_store_get_signed_bytes (self->store, item->entry->id, &error);
  if (bytes == NULL)
    {
      /* The store could not be read; try again later like a network
       * failure, and say why. */
      entry = dlg_outbox_entry_copy (item->entry);
      entry->attempts++;
      entry->next_attempt = g_get_real_time () + (gint64) retry_delay_ms (self, entry->attempts, -1) * 1000;
      g_free (entry->last_error);
      entry->last_error = g_strdup (error->message);
      change (self, item, entry, FALSE);
      schedule (self);
      return;
    }

  entry = dlg_outbox_entry_copy (item->entry);
  entry->state = DLG_OUTBOX_SENDING;
  change (self, item, entry, FALSE);

  self->sending = g_object_ref (item);
  self->cancellable = g_cancellable_new ();
  dlg_sync_client_submit_async (self->client, item->entry->kind, bytes, self->cancellable,
                                submitted_cb, g_object_ref (self));
}

static gboolean
timer_cb (gpointer user_data)
{
  DlgOutbox *self = user_data;

  g_clear_pointer (&self->timer, g_source_unref);
  schedule (self);
  return G_SOURCE_REMOVE;
}

/* Sends the first queued item when its time has come, or sets a timer. */
static void
schedule (DlgOutbox *self)
{
  DlgOutboxItem *head = NULL;
  gint64 now;

  if (self->sending != NULL || self->store == NULL)
    return;

  if (self->timer != NULL)
    {
      g_source_destroy (self->timer);
      g_clear_pointer (&self->timer, g_source_unref);
    }

  for (guint i = 0; i < self->items->len && head == NULL; i++)
    {
      DlgOutboxItem *item = g_ptr_array_index (self->items, i);

      if (item->entry->state == DLG_OUTBOX_QUEUED)
        head = item;
    }

  if (head == NULL)
    {
      finish_flushes (self, NULL);
      return;
    }

  if (self->client == NULL || self->blocked)
    {
      g_autoptr(GError) error = NULL;

      if (self->client == NULL)
        error = g_error_new_literal (DLG_SYNC_ERROR, DLG_SYNC_ERROR_NOT_CONFIGURED,
                                     _("No server is set up. Enter its address and your token in Preferences."));
      else
        error = g_error_new_literal (DLG_SYNC_ERROR, DLG_SYNC_ERROR_UNAUTHORIZED,
                                     _("The server refused the token. Check it in Preferences."));
      finish_flushes (self, error);
      return;
    }

  now = g_get_real_time ();
  if (head->entry->next_attempt > now)
    {
      guint64 wait_ms = (head->entry->next_attempt - now + 999) / 1000;

      self->timer = g_timeout_source_new ((guint) MIN (wait_ms, (guint64) G_MAXUINT));
      g_source_set_callback (self->timer, timer_cb, self, NULL);
      g_source_attach (self->timer, g_main_context_get_thread_default ());
      return;
    }

  send_item (self, head);
}

static void
network_changed_cb (GNetworkMonitor *monitor,
                    gboolean         available,
                    DlgOutbox       *self)
{
  gint64 now = g_get_real_time ();

  /* A hint only: a network appeared, so what waits may go now. The
   * monitor never stops an attempt; it can be wrong (VPNs, proxies). */
  if (!available)
    return;

  for (guint i = 0; i < self->items->len; i++)
    {
      DlgOutboxItem *item = g_ptr_array_index (self->items, i);

      if (item->entry->state == DLG_OUTBOX_QUEUED && item->entry->next_attempt > now)
        item->entry->next_attempt = now;
    }
  schedule (self);
}

static void
dlg_outbox_dispose (GObject *object)
{
  DlgOutbox *self = DLG_OUTBOX (object);
  g_autoptr(GError) error = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CANCELLED, "The outbox was closed");

  if (self->timer != NULL)
    {
      g_source_destroy (self->timer);
      g_clear_pointer (&self->timer, g_source_unref);
    }
  g_clear_signal_handler (&self->monitor_handler, self->monitor);
  g_clear_object (&self->monitor);
  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->sending);
  finish_flushes (self, error);

  G_OBJECT_CLASS (dlg_outbox_parent_class)->dispose (object);
}

static void
dlg_outbox_finalize (GObject *object)
{
  DlgOutbox *self = DLG_OUTBOX (object);

  g_clear_object (&self->cancellable);
  g_clear_object (&self->client);
  g_clear_object (&self->store);
  g_clear_pointer (&self->by_id, g_hash_table_unref);
  g_clear_pointer (&self->items, g_ptr_array_unref);

  G_OBJECT_CLASS (dlg_outbox_parent_class)->finalize (object);
}

static void
dlg_outbox_get_property (GObject    *object,
                         guint       prop_id,
                         GValue     *value,
                         GParamSpec *pspec)
{
  DlgOutbox *self = DLG_OUTBOX (object);

  switch (prop_id)
    {
    case PROP_STORE:
      g_value_set_object (value, self->store);
      break;
    case PROP_CLIENT:
      g_value_set_object (value, self->client);
      break;
    case PROP_N_PENDING:
      g_value_set_uint (value, dlg_outbox_get_n_pending (self));
      break;
    case PROP_BLOCKED:
      g_value_set_boolean (value, self->blocked);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
dlg_outbox_set_property (GObject      *object,
                         guint         prop_id,
                         const GValue *value,
                         GParamSpec   *pspec)
{
  DlgOutbox *self = DLG_OUTBOX (object);

  switch (prop_id)
    {
    case PROP_STORE:
      self->store = g_value_dup_object (value);
      break;
    case PROP_CLIENT:
      dlg_outbox_set_client (self, g_value_get_object (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
dlg_outbox_class_init (DlgOutboxClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = dlg_outbox_dispose;
  object_class->finalize = dlg_outbox_finalize;
  object_class->get_property = dlg_outbox_get_property;
  object_class->set_property = dlg_outbox_set_property;

  properties[PROP_STORE] =
    g_param_spec_object ("store", NULL, NULL, DLG_TYPE_STORE,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_CLIENT] =
    g_param_spec_object ("client", NULL, NULL, DLG_TYPE_SYNC_CLIENT,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_N_PENDING] =
    g_param_spec_uint ("n-pending", NULL, NULL, 0, G_MAXUINT, 0,
                       G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_BLOCKED] =
    g_param_spec_boolean ("blocked", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * DlgOutbox::state-changed:
   * @item: the item whose state, attempts, error or receipt changed
   */
  signals[STATE_CHANGED] =
    g_signal_new ("state-changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, DLG_TYPE_OUTBOX_ITEM);
}

static void
dlg_outbox_init (DlgOutbox *self)
{
  self->items = g_ptr_array_new_with_free_func (g_object_unref);
  self->by_id = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->base_ms = DEFAULT_RETRY_BASE_MS;
  self->max_ms = DEFAULT_RETRY_MAX_MS;
}

/**
 * dlg_outbox_new:
 * @store: where the signed documents are
 *
 * Loads the outbox. Nothing is sent until a client is set. Use it from the
 * thread whose main context it should run in.
 *
 * Returns: (transfer full): the outbox, or %NULL with @error set
 */
DlgOutbox *
dlg_outbox_new (DlgStore  *store,
                GError   **error)
{
  g_autoptr(DlgOutbox) self = NULL;
  g_autoptr(GPtrArray) entries = NULL;

  g_return_val_if_fail (DLG_IS_STORE (store), NULL);

  entries = dlg_store_list_outbox (store, error);
  if (entries == NULL)
    return NULL;

  self = g_object_new (DLG_TYPE_OUTBOX, "store", store, NULL);
  for (guint i = 0; i < entries->len; i++)
    {
      DlgOutboxItem *item = item_new (g_steal_pointer (&g_ptr_array_index (entries, i)));

      g_ptr_array_add (self->items, item);
      g_hash_table_insert (self->by_id, g_strdup (item->entry->id), item);
      if (is_pending (item->entry->state))
        self->n_pending++;
    }

  self->monitor = g_object_ref (g_network_monitor_get_default ());
  self->monitor_handler = g_signal_connect (self->monitor, "network-changed",
                                            G_CALLBACK (network_changed_cb), self);
  return g_steal_pointer (&self);
}

DlgStore *
dlg_outbox_get_store (DlgOutbox *self)
{
  g_return_val_if_fail (DLG_IS_OUTBOX (self), NULL);
  return self->store;
}

DlgSyncClient *
dlg_outbox_get_client (DlgOutbox *self)
{
  g_return_val_if_fail (DLG_IS_OUTBOX (self), NULL);
  return self->client;
}

/**
 * dlg_outbox_set_client:
 * @client: (nullable): the server to send to; %NULL stops sending
 *
 * A new client (a new endpoint or token) abandons the request under way,
 * which is sent again with the new one, and gives the documents refused
 * for their token another chance.
 */
void
dlg_outbox_set_client (DlgOutbox     *self,
                       DlgSyncClient *client)
{
  g_return_if_fail (DLG_IS_OUTBOX (self));
  g_return_if_fail (client == NULL || DLG_IS_SYNC_CLIENT (client));

  if (self->client == client)
    return;

  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  g_set_object (&self->client, client);

  if (client != NULL)
    {
      gint64 now = g_get_real_time ();

      for (guint i = 0; i < self->items->len; i++)
        {
          DlgOutboxItem *item = g_ptr_array_index (self->items, i);

          if (item->entry->state == DLG_OUTBOX_REJECTED &&
              (g_strcmp0 (item->entry->problem, "unauthorized") == 0 ||
               g_strcmp0 (item->entry->problem, "not-configured") == 0))
            {
              DlgOutboxEntry *entry = dlg_outbox_entry_copy (item->entry);

              entry->state = DLG_OUTBOX_QUEUED;
              entry->next_attempt = now;
              change (self, item, entry, TRUE);
            }
          else if (item->entry->state == DLG_OUTBOX_QUEUED)
            item->entry->next_attempt = MIN (item->entry->next_attempt, now);
        }
      set_blocked (self, FALSE);
    }

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CLIENT]);
  schedule (self);
}

/**
 * dlg_outbox_get_n_pending:
 *
 * Returns: how many documents are queued or on their way
 */
guint
dlg_outbox_get_n_pending (DlgOutbox *self)
{
  g_return_val_if_fail (DLG_IS_OUTBOX (self), 0);
  return self->n_pending;
}

/**
 * dlg_outbox_get_blocked:
 *
 * Returns: %TRUE when the server refused the token, and nothing is sent
 *   until the client changes or dlg_outbox_retry() is called
 */
gboolean
dlg_outbox_get_blocked (DlgOutbox *self)
{
  g_return_val_if_fail (DLG_IS_OUTBOX (self), FALSE);
  return self->blocked;
}

/**
 * dlg_outbox_lookup:
 *
 * Returns: (transfer none) (nullable): the item of the document @id
 */
DlgOutboxItem *
dlg_outbox_lookup (DlgOutbox  *self,
                   const char *id)
{
  g_return_val_if_fail (DLG_IS_OUTBOX (self), NULL);
  return g_hash_table_lookup (self->by_id, id);
}

/**
 * dlg_outbox_set_retry_delays:
 * @base_ms: the cap of the first retry's random delay
 * @max_ms: the largest cap
 */
void
dlg_outbox_set_retry_delays (DlgOutbox *self,
                             guint      base_ms,
                             guint      max_ms)
{
  g_return_if_fail (DLG_IS_OUTBOX (self));

  self->base_ms = MAX (base_ms, 1);
  self->max_ms = MAX (max_ms, self->base_ms);
}

/**
 * dlg_outbox_enqueue:
 * @id: the document's id, as inside its payload
 * @assessment_id: (nullable): the assessment a report was signed from,
 *   marked signed in the same transaction
 * @subject_id: (nullable): the report a review is about
 * @jws: the exact compact JWS
 *
 * Keeps a freshly signed document and queues it, in one transaction, then
 * sends it when its turn comes.
 *
 * Returns: (transfer none): its item, or %NULL with @error set
 */
DlgOutboxItem *
dlg_outbox_enqueue (DlgOutbox      *self,
                    DlgSignedKind   kind,
                    const char     *id,
                    const char     *assessment_id,
                    const char     *subject_id,
                    GBytes         *jws,
                    GError        **error)
{
  DlgOutboxEntry *entry = NULL;
  DlgOutboxItem *item;

  g_return_val_if_fail (DLG_IS_OUTBOX (self), NULL);

  if (!dlg_store_add_signed (self->store, kind, id, assessment_id, subject_id, jws, TRUE, &entry, error))
    return NULL;

  item = g_hash_table_lookup (self->by_id, id);
  if (item != NULL)
    {
      /* Queued before: the same bytes, nothing new. */
      dlg_outbox_entry_free (entry);
      return item;
    }

  item = item_new (entry);
  g_ptr_array_add (self->items, item);
  g_hash_table_insert (self->by_id, g_strdup (item->entry->id), item);
  self->n_pending++;
  g_list_model_items_changed (G_LIST_MODEL (self), self->items->len - 1, 0, 1);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_PENDING]);

  schedule (self);
  return item;
}

/**
 * dlg_outbox_retry:
 *
 * Tries a document again now: a rejected one (once its problem is fixed,
 * e.g. a key enrolled) or a queued one waiting for its retry time.
 */
gboolean
dlg_outbox_retry (DlgOutbox   *self,
                  const char  *id,
                  GError     **error)
{
  DlgOutboxItem *item;
  DlgOutboxEntry *entry;

  g_return_val_if_fail (DLG_IS_OUTBOX (self), FALSE);

  item = g_hash_table_lookup (self->by_id, id);
  if (item == NULL)
    {
      g_set_error (error, DLG_STORE_ERROR, DLG_STORE_ERROR_NOT_FOUND, _("This report is not in the outbox"));
      return FALSE;
    }

  if (item->entry->state == DLG_OUTBOX_REJECTED || item->entry->state == DLG_OUTBOX_QUEUED)
    {
      entry = dlg_outbox_entry_copy (item->entry);
      entry->state = DLG_OUTBOX_QUEUED;
      entry->next_attempt = g_get_real_time ();
      change (self, item, entry, TRUE);
    }

  set_blocked (self, FALSE);
  schedule (self);
  return TRUE;
}

/**
 * dlg_outbox_send_now:
 *
 * Tries every queued document now rather than at its retry time.
 */
void
dlg_outbox_send_now (DlgOutbox *self)
{
  gint64 now = g_get_real_time ();

  g_return_if_fail (DLG_IS_OUTBOX (self));

  for (guint i = 0; i < self->items->len; i++)
    {
      DlgOutboxItem *item = g_ptr_array_index (self->items, i);

      if (item->entry->state == DLG_OUTBOX_QUEUED)
        item->entry->next_attempt = MIN (item->entry->next_attempt, now);
    }
  schedule (self);
}

static void
flush_cancelled_cb (GCancellable *cancellable,
                    GTask        *task)
{
  DlgOutbox *self = g_task_get_source_object (task);
  GList *link = g_list_find (self->flushes, task);
  Flush *flush;

  if (link == NULL)
    return;
  self->flushes = g_list_delete_link (self->flushes, link);
  /* Inside the signal: the handler cannot be disconnected here, and the
   * cancellable never fires twice. */
  flush = g_task_get_task_data (task);
  flush->handler = 0;
  g_task_return_error_if_cancelled (task);
  g_object_unref (task);
}

/**
 * dlg_outbox_flush_async:
 *
 * Waits until no document is queued or on its way: each one delivered or
 * rejected. Retries happen meanwhile as always; nothing is given up. Fails
 * at once with %DLG_SYNC_ERROR_NOT_CONFIGURED without a client, or with
 * %DLG_SYNC_ERROR_UNAUTHORIZED when the token was refused.
 */
void
dlg_outbox_flush_async (DlgOutbox           *self,
                        GCancellable        *cancellable,
                        GAsyncReadyCallback  callback,
                        gpointer             user_data)
{
  GTask *task;
  Flush *flush;

  g_return_if_fail (DLG_IS_OUTBOX (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, dlg_outbox_flush_async);
  flush = g_new0 (Flush, 1);
  g_task_set_task_data (task, flush, (GDestroyNotify) flush_free);
  self->flushes = g_list_append (self->flushes, task);

  if (cancellable != NULL)
    {
      flush->cancellable = g_object_ref (cancellable);
      flush->handler = g_cancellable_connect (cancellable, G_CALLBACK (flush_cancelled_cb), task, NULL);
      if (flush->handler == 0)
        return;   /* cancelled already: returned from the handler */
    }

  if (self->sending == NULL)
    schedule (self);
}

gboolean
dlg_outbox_flush_finish (DlgOutbox     *self,
                         GAsyncResult  *result,
                         GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}
