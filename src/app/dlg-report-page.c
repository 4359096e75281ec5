/* dlg-report-page.c - a signed report or review, read-only, with its signature
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The page says first whether the document can be believed, in words and
 * with an icon: verified (and by whom, with the key's fingerprint), signed
 * by an unknown signer, or invalid (and why). Only then comes the content,
 * as it was signed: a report's organisation, period and questionnaire,
 * its result, sections, findings and answers, and its action plan; a
 * review's decisions. An invalid document shows no content at all: what
 * changed cannot be told from what did not.
 *
 * A buyer reviews a verified report's action plan here: a decision on
 * each action and on the whole plan, with a reason unless approved. The
 * window signs the review (it holds the keys and the store); the page
 * then offers to save it as a file to send back.
 *
 * Saving, exporting and printing work from the exact bytes opened: the
 * report file is written as it came, and the PDF, CSV, JSON and printout
 * are drawn from the signed payload by the same renderer as the command
 * line's export.
 */

#define G_LOG_DOMAIN "dlg-report-page"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "dlg-level-badge.h"
#include "dlg-report-page.h"

#define N_DECISIONS 3

typedef struct
{
  char      *action_id;    /* NULL for the whole plan */
  char      *title;
  GtkWidget *buttons[N_DECISIONS];
  GtkWidget *reason;
} Decision;

struct _DlgReportPage
{
  GtkWidget           parent_instance;

  /* Template widgets */
  AdwWindowTitle     *title;
  GtkWidget          *menu_button;
  GtkScrolledWindow  *scroller;
  GtkWidget          *status_card;
  GtkImage           *status_icon;
  GtkLabel           *status_label;
  GtkLabel           *status_detail;
  GtkLabel           *fingerprint_label;
  GtkWidget          *status_buttons;
  GtkWidget          *import_button;
  GtkWidget          *trust_button;
  GtkBox             *content_box;

  /* Owned references */
  DlgSignedDocument  *document;
  DlgActionPlan      *plan;          /* the report's plan, as read */
  DlgActionPlan      *own_plan;      /* a review's subject, when it is ours */
  char               *note;
  char               *status_text;
  GBytes             *review_jws;    /* the review signed here */
  char               *review_note;
  GPtrArray          *decisions;     /* Decision*, the plan's first */
  GtkWidget          *sign_button;
  GtkWidget          *review_card;
  GtkLabel           *review_card_label;
  GtkWidget          *answers_list;
  gboolean            answers_built;
};

G_DEFINE_FINAL_TYPE (DlgReportPage, dlg_report_page, GTK_TYPE_WIDGET)

enum {
  SIGN_REVIEW,
  IMPORT_KEY,
  TRUST_KEY,
  SHOW_PLAN,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static const DlgDecision decision_values[N_DECISIONS] = {
  DLG_DECISION_APPROVED, DLG_DECISION_CHANGES_REQUESTED, DLG_DECISION_REJECTED,
};

static void
decision_free (Decision *decision)
{
  g_free (decision->action_id);
  g_free (decision->title);
  g_free (decision);
}

static DlgReviewState
decision_to_state (DlgDecision decision)
{
  switch (decision)
    {
    case DLG_DECISION_APPROVED: return DLG_REVIEW_APPROVED;
    case DLG_DECISION_CHANGES_REQUESTED: return DLG_REVIEW_CHANGES_REQUESTED;
    case DLG_DECISION_REJECTED:
    default: return DLG_REVIEW_REJECTED;
    }
}

static const char *
decision_css_class (DlgDecision decision)
{
  switch (decision)
    {
    case DLG_DECISION_APPROVED: return "decision-approved";
    case DLG_DECISION_CHANGES_REQUESTED: return "decision-changes";
    case DLG_DECISION_REJECTED:
    default: return "decision-rejected";
    }
}

static GtkWindow *
parent_window (DlgReportPage *self)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));

  return GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL;
}

static void
error_dialog (DlgReportPage *self,
              const char    *heading,
              const char    *body)
{
  GtkWidget *dialog = adw_message_dialog_new (parent_window (self), heading, body);

  adw_message_dialog_add_response (ADW_MESSAGE_DIALOG (dialog), "close", _("_Close"));
  gtk_window_present (GTK_WINDOW (dialog));
}

static DlgReport *
report (DlgReportPage *self)
{
  return self->document ? dlg_signed_document_get_report (self->document) : NULL;
}

static DlgReview *
review (DlgReportPage *self)
{
  return self->document ? dlg_signed_document_get_review (self->document) : NULL;
}

/* ------------------------------------------------------------------------ */
/* Building blocks                                                          */
/* ------------------------------------------------------------------------ */

static GtkWidget *
wrapped_label (const char *text,
               const char *css_class)
{
  GtkWidget *label = gtk_label_new (text);

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_label_set_wrap_mode (GTK_LABEL (label), PANGO_WRAP_WORD_CHAR);
  if (css_class != NULL)
    gtk_widget_add_css_class (label, css_class);
  return label;
}

static GtkWidget *
add_heading (DlgReportPage *self,
             const char    *text)
{
  GtkWidget *label = wrapped_label (text, "heading");

  gtk_box_append (self->content_box, label);
  return label;
}

static GtkWidget *
add_list (DlgReportPage *self,
          GtkWidget     *heading)
{
  GtkWidget *list = gtk_list_box_new ();

  gtk_list_box_set_selection_mode (GTK_LIST_BOX (list), GTK_SELECTION_NONE);
  gtk_widget_add_css_class (list, "boxed-list");
  if (heading != NULL)
    gtk_accessible_update_relation (GTK_ACCESSIBLE (list), GTK_ACCESSIBLE_RELATION_LABELLED_BY, heading, NULL, -1);
  gtk_box_append (self->content_box, list);
  return list;
}

/* A row of plain text: titles and subtitles are not markup here, they
 * come from someone else's file. */
static GtkWidget *
text_row (GtkWidget  *list,
          const char *title,
          const char *subtitle)
{
  GtkWidget *row = adw_action_row_new ();
  g_autofree char *escaped_title = g_markup_escape_text (title ? title : "", -1);
  g_autofree char *escaped_subtitle = subtitle ? g_markup_escape_text (subtitle, -1) : NULL;

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), escaped_title);
  adw_action_row_set_title_lines (ADW_ACTION_ROW (row), 0);
  if (escaped_subtitle != NULL)
    {
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), escaped_subtitle);
      adw_action_row_set_subtitle_lines (ADW_ACTION_ROW (row), 0);
    }
  gtk_list_box_append (GTK_LIST_BOX (list), row);
  return row;
}

static GtkWidget *
fact_row (GtkWidget  *list,
          const char *name,
          const char *value)
{
  GtkWidget *row = text_row (list, name, value ? value : "—");

  gtk_widget_add_css_class (row, "property");
  return row;
}

static GtkWidget *
level_badge (DlgLevel    level,
             const char *detail)
{
  GtkWidget *badge = dlg_level_badge_new ();

  dlg_level_badge_set_level (DLG_LEVEL_BADGE (badge), level);
  if (detail != NULL)
    dlg_level_badge_set_detail (DLG_LEVEL_BADGE (badge), detail);
  gtk_widget_set_valign (badge, GTK_ALIGN_CENTER);
  return badge;
}

/* A decision in words with its icon: colour only repeats them. */
static GtkWidget *
decision_tag (DlgDecision  decision,
              const char  *reason)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  GtkWidget *icon = gtk_image_new_from_icon_name (dlg_review_state_get_icon_name (decision_to_state (decision)));
  g_autofree char *text = reason ? g_strdup_printf ("%s: %s", dlg_decision_get_label (decision), reason)
                                 : g_strdup (dlg_decision_get_label (decision));
  GtkWidget *label = wrapped_label (text, NULL);

  gtk_widget_add_css_class (box, "decision-tag");
  gtk_widget_add_css_class (box, decision_css_class (decision));
  gtk_widget_set_valign (icon, GTK_ALIGN_START);
  gtk_accessible_update_state (GTK_ACCESSIBLE (icon), GTK_ACCESSIBLE_STATE_HIDDEN, TRUE, -1);
  gtk_widget_set_hexpand (label, TRUE);
  gtk_box_append (GTK_BOX (box), icon);
  gtk_box_append (GTK_BOX (box), label);
  return box;
}

static void
clear_content (DlgReportPage *self)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->content_box))))
    gtk_box_remove (self->content_box, child);
  g_ptr_array_set_size (self->decisions, 0);
  self->sign_button = NULL;
  self->review_card = NULL;
  self->review_card_label = NULL;
  self->answers_list = NULL;
  self->answers_built = FALSE;
}

/* ------------------------------------------------------------------------ */
/* The signature                                                            */
/* ------------------------------------------------------------------------ */

static void
set_status_class (DlgReportPage *self,
                  const char    *css_class)
{
  static const char * const classes[] = { "signature-valid", "signature-unknown", "signature-invalid" };

  for (guint i = 0; i < G_N_ELEMENTS (classes); i++)
    gtk_widget_remove_css_class (self->status_card, classes[i]);
  gtk_widget_add_css_class (self->status_card, css_class);
}

static void
update_status (DlgReportPage *self)
{
  DlgSignatureStatus status = dlg_signed_document_get_status (self->document);
  const char *name = dlg_signed_document_get_signer_name (self->document);
  const char *id = dlg_signed_document_get_signer_id (self->document);
  g_autofree char *fingerprint = dlg_signed_document_get_fingerprint (self->document);
  g_autofree char *signer = NULL;
  g_autofree char *fingerprint_text = NULL;
  g_autofree char *detail = NULL;
  const char *icon;
  DlgSignedKind kind = DLG_SIGNED_REPORT;

  dlg_signed_document_get_kind (self->document, &kind);
  signer = name ? (id ? g_strdup_printf ("%s (%s)", name, id) : g_strdup (name)) : g_strdup (_("an unknown organisation"));
  /* TRANSLATORS: a key fingerprint, in groups of four characters */
  fingerprint_text = fingerprint ? g_strdup_printf (_("Key fingerprint: %s"), fingerprint) : NULL;

  g_clear_pointer (&self->status_text, g_free);
  switch (status)
    {
    case DLG_SIGNATURE_VALID:
      icon = "security-high-symbolic";
      set_status_class (self, "signature-valid");
      if (dlg_signed_document_get_own (self->document))
        /* TRANSLATORS: %s is our own organisation */
        self->status_text = g_strdup_printf (_("Verified — signed by your organisation, %s"), signer);
      else
        self->status_text = g_strdup_printf (_("Verified — signed by %s"), signer);
      detail = g_strdup (kind == DLG_SIGNED_REPORT
                         ? _("The signature matches a key you trust, and nothing in this report changed since it was signed.")
                         : _("The signature matches a key you trust, and nothing in this review changed since it was signed."));
      break;

    case DLG_SIGNATURE_UNTRUSTED:
      icon = "dialog-warning-symbolic";
      set_status_class (self, "signature-unknown");
      self->status_text = g_strdup (_("Unknown Signer — Key Not Confirmed"));
      detail = g_strdup_printf (_("The signature is intact and matches a key listed for %s, but nobody here has compared "
                                  "its fingerprint with theirs. Compare it, by phone or on paper, then trust the key."),
                                signer);
      break;

    case DLG_SIGNATURE_UNKNOWN_SIGNER:
      icon = "dialog-question-symbolic";
      set_status_class (self, "signature-unknown");
      self->status_text = g_strdup (_("Unknown Signer"));
      detail = g_strdup_printf (_("It says it is from %s, but it is signed with a key not known here, so nothing in it can "
                                  "be checked. Import the public key that organisation sent you, and compare its "
                                  "fingerprint with the one below. Until then, the contents below are unverified."),
                                signer);
      break;

    case DLG_SIGNATURE_INVALID:
    case DLG_SIGNATURE_UNCHECKED:
    default:
      {
        const GError *error = dlg_signed_document_get_error (self->document);

        icon = "dialog-error-symbolic";
        set_status_class (self, "signature-invalid");
        self->status_text = g_strdup (_("Invalid — Changed Since Signing"));
        detail = g_strdup_printf (_("This file cannot be trusted, and its contents are not shown: %s"),
                                  error ? error->message : _("it was not checked"));
      }
      break;
    }

  gtk_image_set_from_icon_name (self->status_icon, icon);
  gtk_label_set_label (self->status_label, self->status_text);
  gtk_label_set_label (self->status_detail, detail);
  gtk_label_set_label (self->fingerprint_label, fingerprint_text ? fingerprint_text : "");
  gtk_widget_set_visible (GTK_WIDGET (self->fingerprint_label), fingerprint_text != NULL);
  gtk_widget_set_visible (self->import_button, status == DLG_SIGNATURE_UNKNOWN_SIGNER);
  gtk_widget_set_visible (self->trust_button, status == DLG_SIGNATURE_UNTRUSTED);
  gtk_widget_set_visible (self->status_buttons, status == DLG_SIGNATURE_UNKNOWN_SIGNER || status == DLG_SIGNATURE_UNTRUSTED);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->status_card),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, self->status_text,
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, detail,
                                  -1);
}

/* ------------------------------------------------------------------------ */
/* A report                                                                 */
/* ------------------------------------------------------------------------ */

static char *
recipients_text (DlgReport *r)
{
  g_autoptr(GString) out = g_string_new (NULL);

  for (guint i = 0; i < dlg_report_get_n_recipients (r); i++)
    {
      const DlgParty *party = dlg_report_get_recipient (r, i);

      g_string_append_printf (out, "%s%s (%s)", i ? "\n" : "", party->name, party->id ? party->id : "—");
    }
  return out->len ? g_string_free (g_steal_pointer (&out), FALSE) : NULL;
}

static void
add_facts (DlgReportPage *self,
           DlgReport     *r)
{
  GtkWidget *heading = add_heading (self, _("Report"));
  GtkWidget *list = add_list (self, heading);
  g_autofree char *organisation = NULL;
  g_autofree char *contact = NULL;
  g_autofree char *questionnaire = NULL;
  g_autofree char *recipients = recipients_text (r);
  GDateTime *created = dlg_report_get_created_at_date_time (r);
  g_autoptr(GDateTime) local = created ? g_date_time_to_local (created) : NULL;
  g_autofree char *created_text = local ? g_date_time_format (local, "%x %H:%M") : NULL;

  organisation = g_strdup_printf ("%s\n%s%s%s", dlg_report_get_organisation_name (r), dlg_report_get_organisation_id (r),
                                  dlg_report_get_organisation_country (r) ? " · " : "",
                                  dlg_report_get_organisation_country (r) ? dlg_report_get_organisation_country (r) : "");
  if (dlg_report_get_contact_name (r) != NULL && dlg_report_get_contact_email (r) != NULL)
    contact = g_strdup_printf ("%s · %s", dlg_report_get_contact_name (r), dlg_report_get_contact_email (r));
  else if (dlg_report_get_contact_name (r) != NULL || dlg_report_get_contact_email (r) != NULL)
    contact = g_strdup (dlg_report_get_contact_name (r) ? dlg_report_get_contact_name (r) : dlg_report_get_contact_email (r));
  /* TRANSLATORS: a questionnaire's title, its version, and "full questionnaire" or "quick scan" */
  questionnaire = g_strdup_printf (_("%s, version %s — %s"), dlg_report_get_questionnaire_title (r),
                                   dlg_report_get_questionnaire_version (r),
                                   dlg_report_get_quick_scan (r) ? _("quick scan") : _("full questionnaire"));

  fact_row (list, _("Organisation"), organisation);
  if (contact != NULL)
    fact_row (list, _("Contact"), contact);
  fact_row (list, _("For"), recipients ? recipients : _("No recipient named"));
  fact_row (list, _("Period"), dlg_report_get_period (r));
  fact_row (list, _("Questionnaire"), questionnaire);
  fact_row (list, _("Signed on"), created_text);
  fact_row (list, _("Report ID"), dlg_report_get_id (r));
  if (dlg_report_get_supersedes (r) != NULL)
    fact_row (list, _("Corrects Report"), dlg_report_get_supersedes (r));
}

static void
add_result (DlgReportPage *self,
            DlgReport     *r)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 18);
  GtkWidget *text_box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  GtkWidget *score_label;
  g_autofree char *score_text = NULL;
  g_autofree char *detail = NULL;
  double score;
  DlgLevel level = dlg_report_get_level (r);

  score_text = dlg_report_get_score (r, &score) ? g_strdup_printf ("%.0f %%", score) : g_strdup ("–");
  score_label = gtk_label_new (score_text);
  gtk_widget_add_css_class (score_label, "score-large");
  if (!dlg_report_get_complete (r) && !dlg_report_get_critical_finding (r))
    detail = g_strdup_printf (_("%s. Not every required question was answered (%u of %u); the score is provisional."),
                              dlg_level_get_description (level), dlg_report_get_n_required_answered (r),
                              dlg_report_get_n_required (r));
  else
    detail = g_strdup_printf ("%s.", dlg_level_get_description (level));

  gtk_widget_set_valign (text_box, GTK_ALIGN_CENTER);
  {
    GtkWidget *badge = level_badge (level, NULL);

    gtk_widget_set_halign (badge, GTK_ALIGN_START);
    gtk_box_append (GTK_BOX (text_box), badge);
  }
  gtk_box_append (GTK_BOX (text_box), wrapped_label (detail, "dim-label"));
  if (dlg_report_get_critical_finding (r))
    gtk_box_append (GTK_BOX (text_box),
                    wrapped_label (_("A zero-tolerance finding makes the whole result red, whatever the score."), "error"));
  gtk_box_append (GTK_BOX (box), score_label);
  gtk_box_append (GTK_BOX (box), text_box);
  gtk_box_append (self->content_box, box);
}

static void
add_sections (DlgReportPage *self,
              DlgReport     *r)
{
  GtkWidget *heading = add_heading (self, _("Sections"));
  GtkWidget *list = add_list (self, heading);

  for (guint i = 0; i < dlg_report_get_n_sections (r); i++)
    {
      const DlgReportSection *s = dlg_report_get_section (r, i);
      g_autofree char *score = s->has_score ? g_strdup_printf ("%.0f %%", s->score) : NULL;
      /* TRANSLATORS: a section's counts of answers per level */
      g_autofree char *subtitle = g_strdup_printf (_("%u of %u required answered · %u green, %u amber, %u red, %u not applicable"),
                                                   s->n_required_answered, s->n_required,
                                                   s->n_green, s->n_amber, s->n_red, s->n_grey);
      GtkWidget *row = text_row (list, s->title, subtitle);

      adw_action_row_add_suffix (ADW_ACTION_ROW (row), level_badge (s->level, s->level != DLG_LEVEL_INCOMPLETE ? score : NULL));
    }
}

static void
add_findings (DlgReportPage *self,
              DlgReport     *r)
{
  GtkWidget *heading = add_heading (self, _("Findings"));
  GtkWidget *list = add_list (self, heading);

  for (guint i = 0; i < dlg_report_get_n_findings (r); i++)
    {
      const DlgReportFinding *f = dlg_report_get_finding (r, i);
      const DlgReportAnswer *answer = dlg_report_lookup_answer (r, f->question_id);
      const DlgReportSection *section = answer ? dlg_report_lookup_section (r, answer->section_id) : NULL;
      GtkWidget *row = text_row (list, f->text, section ? section->title : NULL);

      adw_action_row_add_prefix (ADW_ACTION_ROW (row), level_badge (f->level, f->critical ? _("critical") : NULL));
    }
  if (dlg_report_get_n_findings (r) == 0)
    text_row (list, _("No amber or red answers"), NULL);
}

static char *
answer_text (const DlgReportAnswer *a)
{
  g_autoptr(GString) out = g_string_new (NULL);

  if (a->display == NULL)
    g_string_append (out, _("Not answered"));
  else
    for (guint i = 0; a->display[i] != NULL; i++)
      g_string_append_printf (out, "%s%s", i ? ", " : "", a->display[i]);
  if (a->comment != NULL)
    /* TRANSLATORS: the supplier's comment on an answer */
    g_string_append_printf (out, "\n%s %s", _("Comment:"), a->comment);
  for (guint i = 0; i < a->n_evidence; i++)
    /* TRANSLATORS: an attached file's name and its SHA-256 */
    g_string_append_printf (out, "\n%s %s (SHA-256 %.12s…)", _("Evidence:"), a->evidence[i].name, a->evidence[i].sha256);
  return g_string_free (g_steal_pointer (&out), FALSE);
}

static void
build_answers (DlgReportPage *self)
{
  DlgReport *r = report (self);

  if (self->answers_built || r == NULL || self->answers_list == NULL)
    return;
  self->answers_built = TRUE;

  for (guint i = 0; i < dlg_report_get_n_answers (r); i++)
    {
      const DlgReportAnswer *a = dlg_report_get_answer (r, i);
      g_autofree char *text = answer_text (a);
      GtkWidget *row = text_row (self->answers_list, a->text, text);

      if (a->level != DLG_LEVEL_NONE)
        adw_action_row_add_suffix (ADW_ACTION_ROW (row), level_badge (a->level, a->critical && a->level == DLG_LEVEL_RED ? _("critical") : NULL));
    }
}

static void
answers_expanded_cb (GtkExpander   *expander,
                     GParamSpec    *pspec,
                     DlgReportPage *self)
{
  if (gtk_expander_get_expanded (expander))
    build_answers (self);
}

static void
add_answers (DlgReportPage *self,
             DlgReport     *r)
{
  g_autofree char *label = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u Answer", "All %u Answers",
                                                         dlg_report_get_n_answers (r)),
                                            dlg_report_get_n_answers (r));
  GtkWidget *expander = gtk_expander_new (label);

  /* Rows for thousands of answers are made only when asked for. */
  self->answers_list = gtk_list_box_new ();
  gtk_list_box_set_selection_mode (GTK_LIST_BOX (self->answers_list), GTK_SELECTION_NONE);
  gtk_widget_add_css_class (self->answers_list, "boxed-list");
  gtk_widget_set_margin_top (self->answers_list, 6);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->answers_list), GTK_ACCESSIBLE_PROPERTY_LABEL, _("Answers"), -1);
  gtk_expander_set_child (GTK_EXPANDER (expander), self->answers_list);
  g_signal_connect (expander, "notify::expanded", G_CALLBACK (answers_expanded_cb), self);
  gtk_box_append (self->content_box, expander);
}

static gboolean
decision_get (Decision    *decision,
              DlgDecision *value)
{
  for (guint i = 0; i < N_DECISIONS; i++)
    if (gtk_toggle_button_get_active (GTK_TOGGLE_BUTTON (decision->buttons[i])))
      {
        *value = decision_values[i];
        return TRUE;
      }
  return FALSE;
}

static char *
decision_reason (Decision *decision)
{
  char *text = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (decision->reason))));

  if (*text == '\0')
    g_clear_pointer (&text, g_free);
  return text;
}

/* Whether every decision taken has the reason it needs, and the plan has
 * a decision; marks the reasons still missing. */
static gboolean
check_decisions (DlgReportPage *self)
{
  gboolean ready = self->decisions->len > 0;

  for (guint i = 0; i < self->decisions->len; i++)
    {
      Decision *decision = g_ptr_array_index (self->decisions, i);
      g_autofree char *reason = decision_reason (decision);
      DlgDecision value;
      gboolean decided = decision_get (decision, &value);
      gboolean missing = decided && value != DLG_DECISION_APPROVED && reason == NULL;

      if (missing)
        gtk_widget_add_css_class (decision->reason, "error");
      else
        gtk_widget_remove_css_class (decision->reason, "error");
      gtk_accessible_update_state (GTK_ACCESSIBLE (decision->reason), GTK_ACCESSIBLE_STATE_INVALID,
                                   missing ? GTK_ACCESSIBLE_INVALID_TRUE : GTK_ACCESSIBLE_INVALID_FALSE, -1);
      if (missing || (decision->action_id == NULL && !decided))
        ready = FALSE;
    }
  return ready;
}

static void
decisions_changed_cb (DlgReportPage *self)
{
  gboolean ready = check_decisions (self);

  if (self->sign_button != NULL)
    gtk_widget_set_sensitive (self->sign_button, ready);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "report.sign-review", ready);
}

static Decision *
add_decision_controls (DlgReportPage *self,
                       GtkBox        *box,
                       const char    *action_id,
                       const char    *title)
{
  static const char *labels[N_DECISIONS] = { N_("_Approve"), N_("Request _Changes"), N_("_Reject") };
  Decision *decision = g_new0 (Decision, 1);
  GtkWidget *buttons = gtk_flow_box_new ();
  g_autofree char *reason_label = g_strdup_printf (_("Reason for the decision on “%s”"), title);

  decision->action_id = g_strdup (action_id);
  decision->title = g_strdup (title);
  /* The three choices wrap on a narrow window rather than widen it. */
  gtk_flow_box_set_selection_mode (GTK_FLOW_BOX (buttons), GTK_SELECTION_NONE);
  gtk_flow_box_set_max_children_per_line (GTK_FLOW_BOX (buttons), N_DECISIONS);
  gtk_flow_box_set_column_spacing (GTK_FLOW_BOX (buttons), 6);
  gtk_flow_box_set_row_spacing (GTK_FLOW_BOX (buttons), 6);
  /* Filling the width lets the box measure its height for that width;
   * packed to the start, it would overlap what follows when it wraps. */
  gtk_widget_set_hexpand (buttons, TRUE);
  gtk_accessible_update_property (GTK_ACCESSIBLE (buttons), GTK_ACCESSIBLE_PROPERTY_LABEL, title, -1);
  for (guint i = 0; i < N_DECISIONS; i++)
    {
      GtkWidget *button = gtk_toggle_button_new ();
      GtkWidget *content = adw_button_content_new ();

      adw_button_content_set_icon_name (ADW_BUTTON_CONTENT (content),
                                        dlg_review_state_get_icon_name (decision_to_state (decision_values[i])));
      adw_button_content_set_label (ADW_BUTTON_CONTENT (content), _(labels[i]));
      adw_button_content_set_use_underline (ADW_BUTTON_CONTENT (content), TRUE);
      gtk_button_set_child (GTK_BUTTON (button), content);
      /* The content's label names the button (it makes the button
       * labelled-by it); a label of ours as well would be read after it,
       * twice over. Which action it decides comes as its description. */
      gtk_accessible_update_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, title, -1);
      if (i > 0)
        gtk_toggle_button_set_group (GTK_TOGGLE_BUTTON (button), GTK_TOGGLE_BUTTON (decision->buttons[0]));
      g_signal_connect_swapped (button, "toggled", G_CALLBACK (decisions_changed_cb), self);
      decision->buttons[i] = button;
      gtk_flow_box_append (GTK_FLOW_BOX (buttons), button);
      /* Tab goes from button to button, not through their wrappers. */
      gtk_widget_set_focusable (gtk_widget_get_parent (button), FALSE);
    }

  decision->reason = gtk_entry_new ();
  gtk_entry_set_placeholder_text (GTK_ENTRY (decision->reason), _("Reason — required unless approved"));
  gtk_accessible_update_property (GTK_ACCESSIBLE (decision->reason), GTK_ACCESSIBLE_PROPERTY_LABEL, reason_label, -1);
  g_signal_connect_swapped (decision->reason, "changed", G_CALLBACK (decisions_changed_cb), self);

  gtk_box_append (box, buttons);
  gtk_box_append (box, decision->reason);
  g_ptr_array_add (self->decisions, decision);
  return decision;
}

static GtkWidget *
action_card (DlgAction *action)
{
  GtkWidget *card = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  const char *owner = dlg_action_get_field (action, DLG_ACTION_FIELD_OWNER_NAME);
  const char *due = dlg_action_get_due_date (action);
  const char *corrective = dlg_action_get_field (action, DLG_ACTION_FIELD_CORRECTIVE_ACTION);
  const char *root_cause = dlg_action_get_field (action, DLG_ACTION_FIELD_ROOT_CAUSE);
  g_autofree char *subtitle = NULL;
  g_autofree char *status = NULL;

  gtk_widget_add_css_class (card, "card");
  gtk_widget_add_css_class (card, "action-row");
  gtk_box_append (GTK_BOX (card), wrapped_label (dlg_action_get_title (action), "heading"));
  /* TRANSLATORS: an action's owner, due date and priority */
  subtitle = g_strdup_printf (_("%s · %s · %s"), owner ? owner : _("No owner"),
                              due ? due : _("No due date"), dlg_priority_get_label (dlg_action_get_priority (action)));
  gtk_box_append (GTK_BOX (card), wrapped_label (subtitle, "dim-label"));
  if (root_cause != NULL)
    {
      g_autofree char *text = g_strdup_printf ("%s: %s", dlg_action_field_get_label (DLG_ACTION_FIELD_ROOT_CAUSE), root_cause);
      gtk_box_append (GTK_BOX (card), wrapped_label (text, NULL));
    }
  if (corrective != NULL)
    {
      g_autofree char *text = g_strdup_printf ("%s: %s", dlg_action_field_get_label (DLG_ACTION_FIELD_CORRECTIVE_ACTION), corrective);
      gtk_box_append (GTK_BOX (card), wrapped_label (text, NULL));
    }
  status = g_strdup_printf (_("Status: %s"), dlg_action_status_get_label (dlg_action_get_status (action)));
  gtk_box_append (GTK_BOX (card), wrapped_label (status, "caption"));
  gtk_accessible_update_property (GTK_ACCESSIBLE (card), GTK_ACCESSIBLE_PROPERTY_LABEL, dlg_action_get_title (action), -1);
  gtk_accessible_update_property (GTK_ACCESSIBLE (card), GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, subtitle, -1);
  return card;
}

static void
sign_clicked_cb (DlgReportPage *self)
{
  g_signal_emit (self, signals[SIGN_REVIEW], 0);
}

static void
add_plan (DlgReportPage *self,
          DlgReport     *r)
{
  JsonNode *node = dlg_report_get_action_plan (r);
  gboolean reviewing = dlg_report_page_get_can_review (self);
  g_autoptr(GError) error = NULL;
  g_autofree char *data = NULL;
  guint n = 0;

  add_heading (self, _("Corrective Action Plan"));
  g_clear_object (&self->plan);
  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    {
      gtk_box_append (self->content_box, wrapped_label (_("This report has no action plan."), "dim-label"));
      return;
    }

  data = json_to_string (node, FALSE);
  self->plan = dlg_action_plan_new_from_data (data, strlen (data), &error);
  if (self->plan == NULL)
    {
      g_autofree char *text = g_strdup_printf (_("The action plan in this report cannot be read: %s"), error->message);
      gtk_box_append (self->content_box, wrapped_label (text, "error"));
      return;
    }

  {
    DlgReviewState state = dlg_action_plan_get_review_state (self->plan);
    /* TRANSLATORS: where the plan stood in its review when the report was signed */
    g_autofree char *text = g_strdup_printf (_("When signed, the plan was: %s."), dlg_review_state_get_label (state));

    gtk_box_append (self->content_box, wrapped_label (text, "dim-label"));
  }
  if (reviewing)
    gtk_box_append (self->content_box,
                    wrapped_label (_("Decide on each action — or only on some: those left open take the plan’s decision — "
                                     "and on the whole plan. Changes requested and rejections need a reason."), NULL));

  for (guint i = 0; i < dlg_action_plan_get_n_actions (self->plan); i++)
    {
      DlgAction *action = dlg_action_plan_get_action (self->plan, i);
      GtkWidget *card;

      if (dlg_action_get_disposition (action) != DLG_DISPOSITION_ACCEPTED)
        continue;
      card = action_card (action);
      if (reviewing)
        add_decision_controls (self, GTK_BOX (card), dlg_action_get_id (action), dlg_action_get_title (action));
      gtk_box_append (self->content_box, card);
      n++;
    }
  if (n == 0)
    gtk_box_append (self->content_box, wrapped_label (_("The plan has no actions."), "dim-label"));

  if (reviewing)
    {
      GtkWidget *card = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
      GtkWidget *buttons = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
      Decision *overall;

      gtk_widget_add_css_class (card, "card");
      gtk_widget_add_css_class (card, "action-row");
      gtk_box_append (GTK_BOX (card), wrapped_label (_("Your Decision on the Plan"), "heading"));
      overall = add_decision_controls (self, GTK_BOX (card), NULL, _("The whole plan"));
      /* The plan's decision goes first in the review. */
      g_ptr_array_steal_index (self->decisions, self->decisions->len - 1);
      g_ptr_array_insert (self->decisions, 0, overall);

      self->sign_button = gtk_button_new_with_mnemonic (_("_Sign Review…"));
      gtk_widget_add_css_class (self->sign_button, "suggested-action");
      gtk_widget_set_tooltip_text (self->sign_button, _("Sign your decisions with your organisation’s key, to send them back"));
      g_signal_connect_swapped (self->sign_button, "clicked", G_CALLBACK (sign_clicked_cb), self);
      gtk_widget_set_halign (buttons, GTK_ALIGN_END);
      gtk_box_append (GTK_BOX (buttons), self->sign_button);
      gtk_box_append (GTK_BOX (card), buttons);
      gtk_box_append (self->content_box, card);

      self->review_card = gtk_box_new (GTK_ORIENTATION_VERTICAL, 12);
      gtk_widget_add_css_class (self->review_card, "card");
      gtk_widget_add_css_class (self->review_card, "action-row");
      {
        GtkWidget *line = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
        GtkWidget *icon = gtk_image_new_from_icon_name ("mail-send-symbolic");
        GtkWidget *save = gtk_button_new_with_mnemonic (_("Save Review _File…"));

        gtk_accessible_update_state (GTK_ACCESSIBLE (icon), GTK_ACCESSIBLE_STATE_HIDDEN, TRUE, -1);
        gtk_widget_set_valign (icon, GTK_ALIGN_START);
        self->review_card_label = GTK_LABEL (wrapped_label (NULL, NULL));
        gtk_widget_set_hexpand (GTK_WIDGET (self->review_card_label), TRUE);
        gtk_widget_set_halign (save, GTK_ALIGN_END);
        gtk_widget_add_css_class (save, "suggested-action");
        gtk_actionable_set_action_name (GTK_ACTIONABLE (save), "report.save-review");
        gtk_box_append (GTK_BOX (line), icon);
        gtk_box_append (GTK_BOX (line), GTK_WIDGET (self->review_card_label));
        gtk_box_append (GTK_BOX (self->review_card), line);
        gtk_box_append (GTK_BOX (self->review_card), save);
      }
      gtk_box_append (self->content_box, self->review_card);
      decisions_changed_cb (self);
    }
}

static void
show_report (DlgReportPage *self)
{
  DlgReport *r = report (self);

  adw_window_title_set_title (self->title, _("Report"));
  adw_window_title_set_subtitle (self->title, dlg_report_get_organisation_name (r));
  add_facts (self, r);
  add_result (self, r);
  add_sections (self, r);
  add_findings (self, r);
  add_answers (self, r);
  add_plan (self, r);
}

/* ------------------------------------------------------------------------ */
/* A review                                                                 */
/* ------------------------------------------------------------------------ */

static void
show_plan_clicked_cb (DlgReportPage *self)
{
  g_signal_emit (self, signals[SHOW_PLAN], 0);
}

static void
show_review (DlgReportPage *self)
{
  DlgReview *rv = review (self);
  const DlgParty *reviewer = dlg_review_get_reviewer (rv);
  g_autofree char *reviewer_text = g_strdup_printf ("%s (%s)", reviewer->name, reviewer->id);
  GtkWidget *heading, *list;

  adw_window_title_set_title (self->title, _("Review"));
  adw_window_title_set_subtitle (self->title, reviewer->name);

  if (self->note != NULL)
    {
      GtkWidget *card = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
      GtkWidget *icon = gtk_image_new_from_icon_name ("checkbox-checked-symbolic");
      GtkWidget *label = wrapped_label (self->note, NULL);

      gtk_widget_add_css_class (card, "card");
      gtk_widget_add_css_class (card, "action-row");
      gtk_accessible_update_state (GTK_ACCESSIBLE (icon), GTK_ACCESSIBLE_STATE_HIDDEN, TRUE, -1);
      gtk_widget_set_hexpand (label, TRUE);
      gtk_box_append (GTK_BOX (card), icon);
      gtk_box_append (GTK_BOX (card), label);
      if (self->own_plan != NULL)
        {
          GtkWidget *button = gtk_button_new_with_mnemonic (_("Show _Action Plan"));

          gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
          g_signal_connect_swapped (button, "clicked", G_CALLBACK (show_plan_clicked_cb), self);
          gtk_box_append (GTK_BOX (card), button);
        }
      gtk_box_append (self->content_box, card);
    }

  heading = add_heading (self, _("Review"));
  list = add_list (self, heading);
  fact_row (list, _("Reviewer"), reviewer_text);
  fact_row (list, _("Report Reviewed"), dlg_review_get_report_id (rv));
  {
    g_autoptr(GDateTime) created = g_date_time_new_from_iso8601 (dlg_review_get_created_at (rv), NULL);
    g_autoptr(GDateTime) local = created ? g_date_time_to_local (created) : NULL;
    g_autofree char *text = local ? g_date_time_format (local, "%x %H:%M") : g_strdup (dlg_review_get_created_at (rv));

    fact_row (list, _("Signed on"), text);
  }
  fact_row (list, _("Review ID"), dlg_review_get_id (rv));

  heading = add_heading (self, _("Decision on the Plan"));
  gtk_box_append (self->content_box, decision_tag (dlg_review_get_decision (rv), dlg_review_get_reason (rv)));

  heading = add_heading (self, _("Decisions on Actions"));
  if (dlg_review_get_n_actions (rv) == 0)
    gtk_box_append (self->content_box, wrapped_label (_("No decision on single actions: the plan’s decision applies to each."), "dim-label"));
  for (guint i = 0; i < dlg_review_get_n_actions (rv); i++)
    {
      const DlgActionDecision *d = dlg_review_get_action (rv, i);
      DlgAction *action = self->own_plan ? dlg_action_plan_lookup_action (self->own_plan, d->action_id) : NULL;
      GtkWidget *card = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
      const char *title = action ? dlg_action_get_title (action) : d->action_id;

      gtk_widget_add_css_class (card, "card");
      gtk_widget_add_css_class (card, "action-row");
      gtk_box_append (GTK_BOX (card), wrapped_label (title, "heading"));
      gtk_box_append (GTK_BOX (card), decision_tag (d->decision, d->reason));
      gtk_accessible_update_property (GTK_ACCESSIBLE (card), GTK_ACCESSIBLE_PROPERTY_LABEL, title, -1);
      gtk_box_append (self->content_box, card);
    }
}

/* ------------------------------------------------------------------------ */
/* Public                                                                   */
/* ------------------------------------------------------------------------ */

static void
update_actions (DlgReportPage *self)
{
  DlgSignedKind kind = DLG_SIGNED_REPORT;
  gboolean has_kind = self->document && dlg_signed_document_get_kind (self->document, &kind);
  gboolean exportable = has_kind && kind == DLG_SIGNED_REPORT && report (self) != NULL &&
                        dlg_signed_document_get_status (self->document) != DLG_SIGNATURE_INVALID;

  /* A file that failed its check is not passed on, even unchanged. */
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "report.save",
                                 self->document && dlg_signed_document_get_status (self->document) != DLG_SIGNATURE_INVALID);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "report.save-review", self->review_jws != NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "report.export", exportable);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "report.print", exportable);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "report.import-key",
                                 self->document && dlg_signed_document_get_status (self->document) == DLG_SIGNATURE_UNKNOWN_SIGNER);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "report.trust-key",
                                 self->document && dlg_signed_document_get_status (self->document) == DLG_SIGNATURE_UNTRUSTED);
  gtk_widget_set_visible (self->menu_button, self->document && dlg_signed_document_get_status (self->document) != DLG_SIGNATURE_INVALID);

  if (self->review_card != NULL)
    {
      gtk_widget_set_visible (self->review_card, self->review_jws != NULL);
      if (self->review_jws != NULL)
        gtk_label_set_label (self->review_card_label,
                             self->review_note ? self->review_note
                                               : _("Your review is signed and kept. Save it as a file and send it back."));
    }
}

/**
 * dlg_report_page_set_document:
 * @document: a signed report or review, checked
 * @own_plan: (nullable): for a review of one of our reports, the plan it
 *   reviews, to name its actions
 * @note: (nullable): what became of a review, e.g. that its decisions were
 *   recorded in our plan
 */
void
dlg_report_page_set_document (DlgReportPage     *self,
                              DlgSignedDocument *document,
                              DlgActionPlan     *own_plan,
                              const char        *note)
{
  DlgSignedKind kind;

  g_return_if_fail (DLG_IS_REPORT_PAGE (self));
  g_return_if_fail (DLG_IS_SIGNED_DOCUMENT (document));

  g_set_object (&self->document, document);
  g_set_object (&self->own_plan, own_plan);
  g_free (self->note);
  self->note = g_strdup (note);
  g_clear_pointer (&self->review_jws, g_bytes_unref);
  g_clear_pointer (&self->review_note, g_free);
  g_clear_object (&self->plan);

  clear_content (self);
  update_status (self);

  if (dlg_signed_document_get_status (document) != DLG_SIGNATURE_INVALID &&
      dlg_signed_document_get_kind (document, &kind))
    {
      if (kind == DLG_SIGNED_REPORT && report (self) != NULL)
        show_report (self);
      else if (kind == DLG_SIGNED_REVIEW && review (self) != NULL)
        show_review (self);
    }
  else
    {
      adw_window_title_set_title (self->title, _("Signed Document"));
      adw_window_title_set_subtitle (self->title, NULL);
    }

  update_actions (self);
  gtk_adjustment_set_value (gtk_scrolled_window_get_vadjustment (self->scroller), 0);
}

/**
 * dlg_report_page_get_document:
 *
 * Returns: (transfer none) (nullable): the document shown
 */
DlgSignedDocument *
dlg_report_page_get_document (DlgReportPage *self)
{
  g_return_val_if_fail (DLG_IS_REPORT_PAGE (self), NULL);
  return self->document;
}

/**
 * dlg_report_page_get_status_text:
 *
 * Returns: (nullable): what the banner says, e.g. "Verified — signed by …"
 */
const char *
dlg_report_page_get_status_text (DlgReportPage *self)
{
  g_return_val_if_fail (DLG_IS_REPORT_PAGE (self), NULL);
  return self->status_text;
}

/**
 * dlg_report_page_get_can_review:
 *
 * Returns: whether the page offers to review the report's plan: a report
 *   of someone else's, verified with a trusted key, with a plan
 */
gboolean
dlg_report_page_get_can_review (DlgReportPage *self)
{
  DlgReport *r;
  JsonNode *plan;

  g_return_val_if_fail (DLG_IS_REPORT_PAGE (self), FALSE);

  r = report (self);
  if (r == NULL || dlg_signed_document_get_status (self->document) != DLG_SIGNATURE_VALID ||
      dlg_signed_document_get_own (self->document))
    return FALSE;
  plan = dlg_report_get_action_plan (r);
  return plan != NULL && !JSON_NODE_HOLDS_NULL (plan);
}

static Decision *
find_decision (DlgReportPage *self,
               const char    *action_id)
{
  for (guint i = 0; i < self->decisions->len; i++)
    {
      Decision *decision = g_ptr_array_index (self->decisions, i);

      if (g_strcmp0 (decision->action_id, action_id) == 0)
        return decision;
    }
  return NULL;
}

/**
 * dlg_report_page_set_decision:
 * @action_id: (nullable): an action of the plan, or %NULL for the plan
 * @reason: (nullable): why
 *
 * Takes a decision as the buttons and the reason field would.
 *
 * Returns: %FALSE if there is no such action to decide on
 */
gboolean
dlg_report_page_set_decision (DlgReportPage *self,
                              const char    *action_id,
                              DlgDecision    decision,
                              const char    *reason)
{
  Decision *d;

  g_return_val_if_fail (DLG_IS_REPORT_PAGE (self), FALSE);

  if (!(d = find_decision (self, action_id)))
    return FALSE;
  for (guint i = 0; i < N_DECISIONS; i++)
    if (decision_values[i] == decision)
      gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (d->buttons[i]), TRUE);
  gtk_editable_set_text (GTK_EDITABLE (d->reason), reason ? reason : "");
  return TRUE;
}

/**
 * dlg_report_page_get_review_ready:
 *
 * Returns: whether the plan has a decision and every decision that needs
 *   a reason has one
 */
gboolean
dlg_report_page_get_review_ready (DlgReportPage *self)
{
  g_return_val_if_fail (DLG_IS_REPORT_PAGE (self), FALSE);
  return dlg_report_page_get_can_review (self) && check_decisions (self);
}

/**
 * dlg_report_page_build_review:
 * @reviewer: who reviews: our organisation
 *
 * Returns: (transfer full): the review of the report shown, with the
 *   decisions taken, or %NULL with @error set (%DLG_REVIEW_ERROR)
 */
DlgReview *
dlg_report_page_build_review (DlgReportPage   *self,
                              const DlgParty  *reviewer,
                              GError         **error)
{
  g_autoptr(GPtrArray) actions = g_ptr_array_new_with_free_func ((GDestroyNotify) dlg_action_decision_free);
  g_autofree char *plan_reason = NULL;
  DlgDecision plan_decision = DLG_DECISION_APPROVED;
  gboolean plan_decided = FALSE;

  g_return_val_if_fail (DLG_IS_REPORT_PAGE (self), NULL);
  g_return_val_if_fail (reviewer != NULL, NULL);

  if (!dlg_report_page_get_can_review (self))
    {
      g_set_error_literal (error, DLG_REVIEW_ERROR, DLG_REVIEW_ERROR_FORMAT,
                           _("Only a verified report of another organisation, with an action plan, can be reviewed."));
      return NULL;
    }

  for (guint i = 0; i < self->decisions->len; i++)
    {
      Decision *d = g_ptr_array_index (self->decisions, i);
      g_autofree char *reason = decision_reason (d);
      DlgDecision value;

      if (!decision_get (d, &value))
        continue;
      if (d->action_id == NULL)
        {
          plan_decided = TRUE;
          plan_decision = value;
          plan_reason = g_steal_pointer (&reason);
        }
      else
        g_ptr_array_add (actions, dlg_action_decision_new (d->action_id, value, reason));
    }

  if (!plan_decided)
    {
      g_set_error_literal (error, DLG_REVIEW_ERROR, DLG_REVIEW_ERROR_MISSING_MEMBER,
                           _("Decide on the whole plan: approve it, request changes or reject it."));
      return NULL;
    }

  return dlg_review_new (dlg_report_get_id (report (self)), dlg_signed_document_get_sha256 (self->document),
                         reviewer, plan_decision, plan_reason, actions, error);
}

/**
 * dlg_report_page_set_signed_review:
 * @review_jws: the review signed and kept, as its exact bytes
 * @note: (nullable): what to say about it
 *
 * Offers to save the review as a file.
 */
void
dlg_report_page_set_signed_review (DlgReportPage *self,
                                   GBytes        *review_jws,
                                   const char    *note)
{
  g_return_if_fail (DLG_IS_REPORT_PAGE (self));

  g_clear_pointer (&self->review_jws, g_bytes_unref);
  if (review_jws != NULL)
    self->review_jws = g_bytes_ref (review_jws);
  g_free (self->review_note);
  self->review_note = g_strdup (note);
  update_actions (self);
}

static gboolean
write_bytes (GFile   *file,
             GBytes  *bytes,
             GError **error)
{
  g_autofree char *path = g_file_get_path (file);
  gsize length;
  const char *data = g_bytes_get_data (bytes, &length);

  if (path == NULL)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED, _("Only local files can be written."));
      return FALSE;
    }
  return dlg_file_write (path, data, length, error);
}

/**
 * dlg_report_page_save_file:
 *
 * Writes the document shown to @file exactly as it was signed.
 */
gboolean
dlg_report_page_save_file (DlgReportPage  *self,
                           GFile          *file,
                           GError        **error)
{
  g_return_val_if_fail (DLG_IS_REPORT_PAGE (self), FALSE);
  g_return_val_if_fail (self->document != NULL, FALSE);

  return write_bytes (file, dlg_signed_document_get_bytes (self->document), error);
}

/**
 * dlg_report_page_save_review:
 *
 * Writes the review signed here to @file exactly as it was signed.
 */
gboolean
dlg_report_page_save_review (DlgReportPage  *self,
                             GFile          *file,
                             GError        **error)
{
  g_return_val_if_fail (DLG_IS_REPORT_PAGE (self), FALSE);

  if (self->review_jws == NULL)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND, _("No review was signed yet."));
      return FALSE;
    }
  return write_bytes (file, self->review_jws, error);
}

/* How the cover page of a PDF or a printout describes the signature. */
static void
signature_for_export (DlgReportPage  *self,
                      char          **signer,
                      char          **fingerprint,
                      const char    **status)
{
  DlgReport *r = report (self);

  *signer = g_strdup_printf ("%s (%s)", dlg_report_get_organisation_name (r), dlg_report_get_organisation_id (r));
  *fingerprint = dlg_signed_document_get_fingerprint (self->document);
  switch (dlg_signed_document_get_status (self->document))
    {
    case DLG_SIGNATURE_VALID: *status = _("Verified"); break;
    case DLG_SIGNATURE_UNTRUSTED: *status = _("Signature valid; key not confirmed"); break;
    case DLG_SIGNATURE_UNKNOWN_SIGNER:
    default: *status = _("Not verified: the signer's key is not known"); break;
    }
}

/**
 * dlg_report_page_export:
 * @format: "pdf", "csv" or "json"
 *
 * Writes a readable copy of the report shown, as the command line's
 * export does.
 */
gboolean
dlg_report_page_export (DlgReportPage  *self,
                        const char     *format,
                        GFile          *file,
                        GError        **error)
{
  g_autofree char *path = g_file_get_path (file);
  g_autofree char *signer = NULL;
  g_autofree char *fingerprint = NULL;
  const char *status;
  DlgReport *r;

  g_return_val_if_fail (DLG_IS_REPORT_PAGE (self), FALSE);

  r = report (self);
  if (r == NULL || dlg_signed_document_get_status (self->document) == DLG_SIGNATURE_INVALID || path == NULL)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                           path == NULL ? _("Only local files can be written.") : _("There is no valid report to export."));
      return FALSE;
    }

  if (g_strcmp0 (format, "csv") == 0)
    return dlg_report_export_csv (r, path, error);
  if (g_strcmp0 (format, "json") == 0)
    return dlg_report_export_json (r, path, error);

  signature_for_export (self, &signer, &fingerprint, &status);
  return dlg_report_export_pdf (r, signer, fingerprint, status, path, error);
}

/* ------------------------------------------------------------------------ */
/* Printing                                                                 */
/* ------------------------------------------------------------------------ */

static void
begin_print_cb (GtkPrintOperation *operation,
                GtkPrintContext   *context,
                DlgReportRenderer *renderer)
{
  gtk_print_operation_set_n_pages (operation, dlg_report_renderer_get_n_pages (renderer));
}

/* The renderer lays pages out on A4 in points; another paper size gets
 * the page scaled to fit, never cut. */
static void
draw_page_cb (GtkPrintOperation *operation,
              GtkPrintContext   *context,
              int                page_nr,
              DlgReportRenderer *renderer)
{
  cairo_t *cr = gtk_print_context_get_cairo_context (context);
  double scale = MIN (gtk_print_context_get_width (context) / DLG_REPORT_PAGE_WIDTH,
                      gtk_print_context_get_height (context) / DLG_REPORT_PAGE_HEIGHT);

  cairo_save (cr);
  cairo_scale (cr, scale, scale);
  dlg_report_render_page (renderer, cr, page_nr);
  cairo_restore (cr);
}

static void
print_done_cb (GtkPrintOperation       *operation,
               GtkPrintOperationResult  result,
               DlgReportPage           *self)
{
  g_autoptr(GError) error = NULL;

  if (result == GTK_PRINT_OPERATION_RESULT_ERROR)
    {
      gtk_print_operation_get_error (operation, &error);
      error_dialog (self, _("The Report Was Not Printed"), error ? error->message : "");
    }
}

/**
 * dlg_report_page_print:
 * @export_pdf: (nullable): print to this PDF file without a dialog, or
 *   %NULL to show the print dialog
 *
 * Prints the report with the same renderer as the PDF export, on A4.
 */
gboolean
dlg_report_page_print (DlgReportPage  *self,
                       const char     *export_pdf,
                       GError        **error)
{
  g_autoptr(GtkPrintOperation) operation = NULL;
  g_autoptr(GtkPageSetup) setup = gtk_page_setup_new ();
  g_autoptr(GtkPaperSize) a4 = gtk_paper_size_new (GTK_PAPER_NAME_A4);
  g_autoptr(DlgReportRenderer) renderer = NULL;
  g_autofree char *signer = NULL;
  g_autofree char *fingerprint = NULL;
  g_autofree char *job = NULL;
  const char *status;
  GtkPrintOperationResult result;
  DlgReport *r;

  g_return_val_if_fail (DLG_IS_REPORT_PAGE (self), FALSE);

  r = report (self);
  if (r == NULL || dlg_signed_document_get_status (self->document) == DLG_SIGNATURE_INVALID)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED, _("There is no valid report to print."));
      return FALSE;
    }

  renderer = dlg_report_renderer_new (r);
  signature_for_export (self, &signer, &fingerprint, &status);
  dlg_report_renderer_set_signature (renderer, signer, fingerprint, status);

  operation = gtk_print_operation_new ();
  gtk_page_setup_set_paper_size (setup, a4);
  gtk_page_setup_set_orientation (setup, GTK_PAGE_ORIENTATION_PORTRAIT);
  gtk_print_operation_set_default_page_setup (operation, setup);
  gtk_print_operation_set_unit (operation, GTK_UNIT_POINTS);
  gtk_print_operation_set_use_full_page (operation, TRUE);
  /* TRANSLATORS: the name of a print job: organisation and period */
  job = g_strdup_printf (_("%s — report %s"), dlg_report_get_organisation_name (r), dlg_report_get_period (r));
  gtk_print_operation_set_job_name (operation, job);
  /* The operation may outlive this call when printing asynchronously. */
  g_object_set_data_full (G_OBJECT (operation), "renderer", g_object_ref (renderer), g_object_unref);
  g_signal_connect (operation, "begin-print", G_CALLBACK (begin_print_cb), renderer);
  g_signal_connect (operation, "draw-page", G_CALLBACK (draw_page_cb), renderer);

  if (export_pdf != NULL)
    {
      gtk_print_operation_set_export_filename (operation, export_pdf);
      result = gtk_print_operation_run (operation, GTK_PRINT_OPERATION_ACTION_EXPORT, parent_window (self), error);
    }
  else
    {
      gtk_print_operation_set_allow_async (operation, TRUE);
      g_signal_connect_object (operation, "done", G_CALLBACK (print_done_cb), self, 0);
      result = gtk_print_operation_run (operation, GTK_PRINT_OPERATION_ACTION_PRINT_DIALOG, parent_window (self), error);
    }

  return result != GTK_PRINT_OPERATION_RESULT_ERROR;
}

/* ------------------------------------------------------------------------ */
/* Actions                                                                  */
/* ------------------------------------------------------------------------ */

static char *
suggested_name (DlgReportPage *self,
                const char    *suffix)
{
  DlgReport *r = report (self);
  DlgReview *rv = review (self);
  char *name;

  if (r != NULL)
    /* TRANSLATORS: a report file's suggested name: organisation, period */
    name = g_strdup_printf (_("%s %s report.%s"), dlg_report_get_organisation_name (r), dlg_report_get_period (r), suffix);
  else if (rv != NULL)
    /* TRANSLATORS: a review file's suggested name: the reviewer */
    name = g_strdup_printf (_("%s review.%s"), dlg_review_get_reviewer (rv)->name, suffix);
  else
    name = g_strdup_printf ("diligence.%s", suffix);
  g_strdelimit (name, "/\\:", '-');
  return name;
}

typedef enum
{
  SAVE_DOCUMENT,
  SAVE_REVIEW,
  EXPORT_PDF,
  EXPORT_CSV,
  EXPORT_JSON,
} SaveKind;

static void
pdf_written_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(DlgReportPage) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!dlg_report_export_pdf_finish (DLG_REPORT (object), result, &error))
    error_dialog (self, _("The PDF Was Not Saved"), error->message);
}

static void
save_response_cb (GtkNativeDialog *chooser,
                  int              response,
                  DlgReportPage   *self)
{
  SaveKind kind = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (chooser), "kind"));

  if (response == GTK_RESPONSE_ACCEPT && self->document != NULL)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));
      g_autofree char *path = g_file_get_path (file);
      g_autoptr(GError) error = NULL;
      gboolean ok = TRUE;

      switch (kind)
        {
        case SAVE_DOCUMENT:
          ok = dlg_report_page_save_file (self, file, &error);
          break;
        case SAVE_REVIEW:
          ok = dlg_report_page_save_review (self, file, &error);
          break;
        case EXPORT_PDF:
          if (path != NULL && report (self) != NULL)
            {
              g_autofree char *signer = NULL;
              g_autofree char *fingerprint = NULL;
              const char *status;

              /* A long report takes a moment to lay out: not on the main loop. */
              signature_for_export (self, &signer, &fingerprint, &status);
              dlg_report_export_pdf_async (report (self), signer, fingerprint, status, path, NULL,
                                           pdf_written_cb, g_object_ref (self));
            }
          else
            ok = dlg_report_page_export (self, "pdf", file, &error);
          break;
        case EXPORT_CSV:
          ok = dlg_report_page_export (self, "csv", file, &error);
          break;
        case EXPORT_JSON:
        default:
          ok = dlg_report_page_export (self, "json", file, &error);
          break;
        }

      if (!ok)
        error_dialog (self, _("The File Was Not Saved"), error->message);
    }

  g_object_unref (chooser);
}

static void
choose_file (DlgReportPage *self,
             SaveKind       kind,
             const char    *title,
             const char    *filter_name,
             const char    *suffix)
{
  g_autoptr(GtkFileFilter) filter = gtk_file_filter_new ();
  g_autofree char *name = suggested_name (self, suffix);
  GtkFileChooserNative *chooser;

  chooser = gtk_file_chooser_native_new (title, parent_window (self), GTK_FILE_CHOOSER_ACTION_SAVE,
                                         _("_Save"), _("_Cancel"));
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (chooser), name);
  gtk_file_filter_set_name (filter, filter_name);
  gtk_file_filter_add_suffix (filter, suffix);
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (chooser), filter);
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);
  g_object_set_data (G_OBJECT (chooser), "kind", GINT_TO_POINTER (kind));
  g_signal_connect (chooser, "response", G_CALLBACK (save_response_cb), self);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

static void
save_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  DlgReportPage *self = DLG_REPORT_PAGE (widget);
  DlgSignedKind kind = DLG_SIGNED_REPORT;

  dlg_signed_document_get_kind (self->document, &kind);
  if (kind == DLG_SIGNED_REVIEW)
    choose_file (self, SAVE_DOCUMENT, _("Save Review File"), _("Signed reviews"), "dlgreview");
  else
    choose_file (self, SAVE_DOCUMENT, _("Save Report File"), _("Signed reports"), "dlgreport");
}

static void
save_review_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  choose_file (DLG_REPORT_PAGE (widget), SAVE_REVIEW, _("Save Review File"), _("Signed reviews"), "dlgreview");
}

static void
export_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  DlgReportPage *self = DLG_REPORT_PAGE (widget);
  const char *format = g_variant_get_string (parameter, NULL);

  if (g_strcmp0 (format, "pdf") == 0)
    choose_file (self, EXPORT_PDF, _("Export PDF"), _("PDF documents"), "pdf");
  else if (g_strcmp0 (format, "csv") == 0)
    choose_file (self, EXPORT_CSV, _("Export CSV"), _("Spreadsheets (CSV)"), "csv");
  else
    choose_file (self, EXPORT_JSON, _("Export JSON"), _("JSON documents"), "json");
}

static void
print_action (GtkWidget  *widget,
              const char *action_name,
              GVariant   *parameter)
{
  DlgReportPage *self = DLG_REPORT_PAGE (widget);
  g_autoptr(GError) error = NULL;

  if (!dlg_report_page_print (self, NULL, &error))
    error_dialog (self, _("The Report Was Not Printed"), error->message);
}

static void
import_key_action (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *parameter)
{
  g_signal_emit (widget, signals[IMPORT_KEY], 0);
}

static void
trust_key_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  g_signal_emit (widget, signals[TRUST_KEY], 0);
}

static void
sign_review_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  g_signal_emit (widget, signals[SIGN_REVIEW], 0);
}

/* ------------------------------------------------------------------------ */
/* Class                                                                    */
/* ------------------------------------------------------------------------ */

static void
dlg_report_page_dispose (GObject *object)
{
  GtkWidget *child;
  DlgReportPage *self = DLG_REPORT_PAGE (object);

  gtk_widget_dispose_template (GTK_WIDGET (self), DLG_TYPE_REPORT_PAGE);
  /* The template's top-level children are not all bound; unparent them all. */
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))))
    gtk_widget_unparent (child);

  g_clear_object (&self->document);
  g_clear_object (&self->plan);
  g_clear_object (&self->own_plan);
  g_clear_pointer (&self->review_jws, g_bytes_unref);

  G_OBJECT_CLASS (dlg_report_page_parent_class)->dispose (object);
}

static void
dlg_report_page_finalize (GObject *object)
{
  DlgReportPage *self = DLG_REPORT_PAGE (object);

  g_clear_pointer (&self->decisions, g_ptr_array_unref);
  g_free (self->note);
  g_free (self->status_text);
  g_free (self->review_note);

  G_OBJECT_CLASS (dlg_report_page_parent_class)->finalize (object);
}

static void
dlg_report_page_class_init (DlgReportPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = dlg_report_page_dispose;
  object_class->finalize = dlg_report_page_finalize;

  /**
   * DlgReportPage::sign-review:
   *
   * The user asks to sign the review: the window takes it with
   * dlg_report_page_build_review(), signs and keeps it, and gives it back
   * with dlg_report_page_set_signed_review().
   */
  signals[SIGN_REVIEW] =
    g_signal_new ("sign-review", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 0);
  /**
   * DlgReportPage::import-key:
   *
   * The user wants to add the signer's public key from a file.
   */
  signals[IMPORT_KEY] =
    g_signal_new ("import-key", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 0);
  /**
   * DlgReportPage::trust-key:
   *
   * The user compared the fingerprint of a known key and trusts it.
   */
  signals[TRUST_KEY] =
    g_signal_new ("trust-key", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 0);
  /**
   * DlgReportPage::show-plan:
   *
   * Show our action plan that the review shown was recorded in.
   */
  signals[SHOW_PLAN] =
    g_signal_new ("show-plan", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 0);

  g_type_ensure (DLG_TYPE_LEVEL_BADGE);
  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_BASE "/dlg-report-page.ui");
  gtk_widget_class_bind_template_child (widget_class, DlgReportPage, title);
  gtk_widget_class_bind_template_child (widget_class, DlgReportPage, menu_button);
  gtk_widget_class_bind_template_child (widget_class, DlgReportPage, scroller);
  gtk_widget_class_bind_template_child (widget_class, DlgReportPage, status_card);
  gtk_widget_class_bind_template_child (widget_class, DlgReportPage, status_icon);
  gtk_widget_class_bind_template_child (widget_class, DlgReportPage, status_label);
  gtk_widget_class_bind_template_child (widget_class, DlgReportPage, status_detail);
  gtk_widget_class_bind_template_child (widget_class, DlgReportPage, fingerprint_label);
  gtk_widget_class_bind_template_child (widget_class, DlgReportPage, status_buttons);
  gtk_widget_class_bind_template_child (widget_class, DlgReportPage, import_button);
  gtk_widget_class_bind_template_child (widget_class, DlgReportPage, trust_button);
  gtk_widget_class_bind_template_child (widget_class, DlgReportPage, content_box);

  gtk_widget_class_install_action (widget_class, "report.save", NULL, save_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_s, GDK_CONTROL_MASK, "report.save", NULL);
  gtk_widget_class_install_action (widget_class, "report.save-review", NULL, save_review_action);
  gtk_widget_class_install_action (widget_class, "report.export", "s", export_action);
  gtk_widget_class_install_action (widget_class, "report.print", NULL, print_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_p, GDK_CONTROL_MASK, "report.print", NULL);
  gtk_widget_class_install_action (widget_class, "report.import-key", NULL, import_key_action);
  gtk_widget_class_install_action (widget_class, "report.trust-key", NULL, trust_key_action);
  gtk_widget_class_install_action (widget_class, "report.sign-review", NULL, sign_review_action);
}

static void
dlg_report_page_init (DlgReportPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->decisions = g_ptr_array_new_with_free_func ((GDestroyNotify) decision_free);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "report.sign-review", FALSE);
}

GtkWidget *
dlg_report_page_new (void)
{
  return g_object_new (DLG_TYPE_REPORT_PAGE, NULL);
}
