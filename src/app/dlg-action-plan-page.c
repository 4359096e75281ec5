/* dlg-action-plan-page.c - the corrective action plan of an assessment
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * From the top: where the plan stands in the buyer's review and what is
 * left before it can be submitted; the proposals waiting for a decision;
 * the actions in the plan, late ones saying so; dismissed proposals and
 * the review history, folded; and the spreadsheet and next-period
 * commands, which are the window's. Everything the user does goes through
 * the "plan." actions, so that buttons, keys and tests take one path.
 *
 * The plan changes from many places (this page, the editor, an import);
 * the lists are rebuilt from it once the change is over, in an idle, and
 * the keyboard focus goes back to the row it was on.
 */

#define G_LOG_DOMAIN "dlg-action-plan-page"

#include "config.h"

#include <glib/gi18n.h>

#include "dlg-action-editor.h"
#include "dlg-action-plan-page.h"
#include "dlg-action-row.h"

struct _DlgActionPlanPage
{
  GtkWidget         parent_instance;

  /* Template widgets */
  GtkScrolledWindow *scroller;
  GtkImage          *review_icon;
  GtkLabel          *review_label;
  GtkLabel          *review_detail;
  GtkLabel          *summary_label;
  GtkLabel          *checklist_label;
  GtkButton         *reopen_button;
  GtkButton         *submit_button;
  GtkRevealer       *done_revealer;
  GtkLabel          *done_label;
  GtkWidget         *proposals_box;
  GtkListBox        *proposals_list;
  GtkListBox        *actions_list;
  GtkExpander       *dismissed_expander;
  GtkListBox        *dismissed_list;
  GtkExpander       *history_expander;
  GtkLabel          *history_label;

  /* Owned references */
  DlgActionPlan     *plan;
  DlgQuestionnaire  *questionnaire;
  char              *language;
  char              *user_name;
  GDate              today;
  gboolean           today_set;
  GHashTable        *statuses;        /* action id → last status seen */
  char              *done_finding;    /* question of the action just done */
  GtkWidget         *editor;          /* weak */
  guint              rebuild_id;
};

G_DEFINE_FINAL_TYPE (DlgActionPlanPage, dlg_action_plan_page, GTK_TYPE_WIDGET)

enum {
  ATTACH_EVIDENCE,
  OPEN_EVIDENCE,
  SHOW_FINDING,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static const GDate *
today (DlgActionPlanPage *self)
{
  if (!self->today_set)
    {
      g_autofree char *iso = dlg_date_today ();
      dlg_date_parse (iso, &self->today);
    }
  return &self->today;
}

static GtkWindow *
parent_window (DlgActionPlanPage *self)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));

  return GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL;
}

static void
clear_list (GtkListBox *list)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (list))))
    gtk_list_box_remove (list, child);
}

static void
update_review (DlgActionPlanPage *self)
{
  DlgReviewState state = dlg_action_plan_get_review_state (self->plan);
  g_autoptr(GPtrArray) problems = dlg_action_plan_check (self->plan);
  gboolean can_submit = dlg_review_state_can_change (state, DLG_REVIEW_SUBMITTED);
  const char *detail;
  guint n_open, n_overdue, n_closed, n_proposed;
  g_autofree char *summary = NULL;

  switch (state)
    {
    case DLG_REVIEW_SUBMITTED:
      detail = _("The buyer is reviewing the plan. Its actions cannot change until it is decided or withdrawn; their progress can.");
      break;
    case DLG_REVIEW_APPROVED:
      detail = _("Record progress as it happens. Changing an action sends the plan back to draft, to be approved again.");
      break;
    case DLG_REVIEW_CHANGES_REQUESTED:
      detail = _("The buyer asked for changes: see the review history, change the plan and submit it again.");
      break;
    case DLG_REVIEW_REJECTED:
      detail = _("The buyer rejected the plan: see the review history, rework it and submit it again.");
      break;
    case DLG_REVIEW_DRAFT:
    default:
      detail = _("Decide on every proposal, give each action an owner and a due date, then submit the plan to the buyer.");
      break;
    }

  gtk_image_set_from_icon_name (self->review_icon, dlg_review_state_get_icon_name (state));
  gtk_label_set_label (self->review_label, dlg_review_state_get_label (state));
  gtk_label_set_label (self->review_detail, detail);

  dlg_action_plan_count (self->plan, today (self), &n_open, &n_overdue, &n_closed, &n_proposed);
  /* TRANSLATORS: counts of actions in the plan */
  summary = g_strdup_printf (_("Actions: %u open, %u overdue, %u done or verified."), n_open, n_overdue, n_closed);
  if (n_proposed > 0)
    {
      g_autofree char *actions = g_steal_pointer (&summary);

      summary = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%s %u proposal to decide on.",
                                              "%s %u proposals to decide on.", n_proposed),
                                 actions, n_proposed);
    }
  gtk_label_set_label (self->summary_label, summary);

  if (can_submit && problems->len > 0)
    {
      g_autoptr(GString) text = g_string_new (_("Before submitting:"));

      for (guint i = 0; i < problems->len; i++)
        g_string_append_printf (text, "\n• %s", (char *) g_ptr_array_index (problems, i));
      gtk_label_set_label (self->checklist_label, text->str);
    }
  gtk_widget_set_visible (GTK_WIDGET (self->checklist_label), can_submit && problems->len > 0);

  gtk_widget_set_visible (GTK_WIDGET (self->submit_button), can_submit);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "plan.submit", can_submit);
  gtk_widget_set_visible (GTK_WIDGET (self->reopen_button), state != DLG_REVIEW_DRAFT);
  gtk_button_set_label (self->reopen_button,
                        state == DLG_REVIEW_SUBMITTED ? _("_Withdraw") : _("_Reopen"));
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "plan.reopen", state != DLG_REVIEW_DRAFT);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "plan.add", state != DLG_REVIEW_SUBMITTED);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "plan.merge", state != DLG_REVIEW_SUBMITTED);
}

static void
update_history (DlgActionPlanPage *self)
{
  GPtrArray *history = dlg_action_plan_get_history (self->plan);
  g_autoptr(GString) text = g_string_new (NULL);

  for (guint i = 0; i < history->len; i++)
    {
      DlgReviewEvent *event = g_ptr_array_index (history, i);
      DlgAction *action = event->action_id ? dlg_action_plan_lookup_action (self->plan, event->action_id) : NULL;

      if (text->len > 0)
        g_string_append_c (text, '\n');
      /* The date and time as stored, in UTC, so it means one moment. */
      g_string_append_printf (text, "%.10s %.5s UTC — ", event->at, event->at + 11);
      if (event->action_id == NULL)
        g_string_append_printf (text, _("Plan: %s"), dlg_review_state_get_label (event->to));
      else
        g_string_append_printf (text, _("“%s”: %s"), action ? dlg_action_get_title (action) : event->action_id,
                                dlg_review_state_get_label (event->to));
      if (event->by != NULL)
        g_string_append_printf (text, _(", by %s"), event->by);
      if (event->reason != NULL)
        g_string_append_printf (text, ": %s", event->reason);
    }

  gtk_label_set_label (self->history_label, text->len ? text->str : _("The plan has not been submitted yet."));
}

static void
add_empty_row (GtkListBox *list,
               const char *text)
{
  GtkWidget *row = adw_action_row_new ();

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), text);
  gtk_widget_add_css_class (row, "dim-label");
  gtk_list_box_append (list, row);
}

/* Notices an action becoming done, wherever it was done from. */
static void
track_statuses (DlgActionPlanPage *self)
{
  for (guint i = 0; i < dlg_action_plan_get_n_actions (self->plan); i++)
    {
      DlgAction *action = dlg_action_plan_get_action (self->plan, i);
      DlgActionStatus status = dlg_action_get_status (action);
      gpointer before;

      if (g_hash_table_lookup_extended (self->statuses, dlg_action_get_id (action), NULL, &before) &&
          GPOINTER_TO_INT (before) != DLG_ACTION_STATUS_DONE && status == DLG_ACTION_STATUS_DONE)
        {
          const char * const *findings = dlg_action_get_findings (action);
          g_autofree char *text = NULL;

          /* Actions never change the score: the answers do. */
          if (findings[0] != NULL)
            text = g_strdup_printf (_("“%s” is done. Actions do not change the score: if the situation has changed, update the answer to its finding."),
                                    dlg_action_get_title (action));
          else
            text = g_strdup_printf (_("“%s” is done."), dlg_action_get_title (action));
          gtk_label_set_label (self->done_label, text);
          g_free (self->done_finding);
          self->done_finding = g_strdup (findings[0]);
          gtk_widget_set_visible (gtk_widget_get_next_sibling (GTK_WIDGET (self->done_label)), findings[0] != NULL);
          gtk_revealer_set_reveal_child (self->done_revealer, TRUE);
        }
      g_hash_table_insert (self->statuses, g_strdup (dlg_action_get_id (action)), GINT_TO_POINTER (status));
    }
}

static DlgAction *
focused_action (DlgActionPlanPage *self,
                GtkListBox       **list)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  GtkWidget *focus = root ? gtk_root_get_focus (root) : NULL;

  for (GtkWidget *w = focus; w != NULL; w = gtk_widget_get_parent (w))
    if (DLG_IS_ACTION_ROW (w))
      {
        *list = GTK_LIST_BOX (gtk_widget_get_parent (w));
        return dlg_action_row_get_action (DLG_ACTION_ROW (w));
      }
  return NULL;
}

static gboolean
rebuild (gpointer user_data)
{
  DlgActionPlanPage *self = user_data;
  GtkListBox *focus_list = NULL;
  g_autoptr(DlgAction) focus = NULL;
  GtkWidget *focus_row = NULL;
  guint n_proposed = 0, n_accepted = 0, n_dismissed = 0;
  g_autofree char *dismissed_title = NULL;

  self->rebuild_id = 0;
  if (self->plan == NULL)
    return G_SOURCE_REMOVE;

  focus = focused_action (self, &focus_list);
  if (focus != NULL)
    g_object_ref (focus);

  clear_list (self->proposals_list);
  clear_list (self->actions_list);
  clear_list (self->dismissed_list);

  for (guint i = 0; i < dlg_action_plan_get_n_actions (self->plan); i++)
    {
      DlgAction *action = dlg_action_plan_get_action (self->plan, i);
      GtkWidget *row = dlg_action_row_new (action, self->questionnaire, self->language, today (self));
      GtkListBox *list;

      switch (dlg_action_get_disposition (action))
        {
        case DLG_DISPOSITION_PROPOSED: list = self->proposals_list; n_proposed++; break;
        case DLG_DISPOSITION_ACCEPTED: list = self->actions_list; n_accepted++; break;
        case DLG_DISPOSITION_DISMISSED:
        default: list = self->dismissed_list; n_dismissed++; break;
        }
      gtk_list_box_append (list, row);
      if (action == focus)
        focus_row = row;
    }

  if (n_accepted == 0)
    add_empty_row (self->actions_list, _("No actions yet: accept a proposal or add one"));
  gtk_widget_set_visible (self->proposals_box, n_proposed > 0);
  gtk_widget_set_visible (GTK_WIDGET (self->dismissed_expander), n_dismissed > 0);
  dismissed_title = g_strdup_printf (_("Dismissed Proposals (%u)"), n_dismissed);
  gtk_expander_set_label (self->dismissed_expander, dismissed_title);

  update_review (self);
  update_history (self);
  track_statuses (self);

  /* The keyboard stays where it was: on the same action, or on the list
   * the action left (accepted proposals move to the actions). */
  if (focus_row != NULL)
    gtk_widget_grab_focus (focus_row);
  else if (focus_list != NULL)
    {
      GtkListBoxRow *first = gtk_list_box_get_row_at_index (focus_list, 0);

      if (first != NULL && gtk_widget_get_visible (GTK_WIDGET (focus_list)) && gtk_widget_is_drawable (GTK_WIDGET (focus_list)))
        gtk_widget_grab_focus (GTK_WIDGET (first));
      else
        gtk_widget_grab_focus (GTK_WIDGET (self->actions_list));
    }

  return G_SOURCE_REMOVE;
}

static void
queue_rebuild (DlgActionPlanPage *self)
{
  if (self->rebuild_id == 0)
    self->rebuild_id = g_idle_add_full (G_PRIORITY_DEFAULT, rebuild, self, NULL);
}

static void
plan_changed_cb (DlgActionPlanPage *self)
{
  queue_rebuild (self);
}

/**
 * dlg_action_plan_page_update:
 *
 * Rebuilds the lists now rather than when idle, and refreshes what depends
 * on the date.
 */
void
dlg_action_plan_page_update (DlgActionPlanPage *self)
{
  g_return_if_fail (DLG_IS_ACTION_PLAN_PAGE (self));

  g_clear_handle_id (&self->rebuild_id, g_source_remove);
  rebuild (self);
}

static DlgAction *
action_from_parameter (DlgActionPlanPage *self,
                       GVariant          *parameter)
{
  if (self->plan == NULL || parameter == NULL)
    return NULL;
  return dlg_action_plan_lookup_action (self->plan, g_variant_get_string (parameter, NULL));
}

static void
error_dialog (DlgActionPlanPage *self,
              const char        *heading,
              const char        *body)
{
  GtkWidget *dialog = adw_message_dialog_new (parent_window (self), heading, body);

  adw_message_dialog_add_response (ADW_MESSAGE_DIALOG (dialog), "close", _("_Close"));
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
accept_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  DlgActionPlanPage *self = DLG_ACTION_PLAN_PAGE (widget);
  DlgAction *action = action_from_parameter (self, parameter);
  g_autoptr(GError) error = NULL;

  if (action != NULL && !dlg_action_plan_accept (self->plan, action, &error))
    error_dialog (self, _("Cannot Accept"), error->message);
}

static void
restore_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  DlgActionPlanPage *self = DLG_ACTION_PLAN_PAGE (widget);
  DlgAction *action = action_from_parameter (self, parameter);
  g_autoptr(GError) error = NULL;

  if (action != NULL && !dlg_action_plan_restore (self->plan, action, &error))
    error_dialog (self, _("Cannot Restore"), error->message);
}

static void
reason_changed_cb (GtkEditable      *entry,
                   AdwMessageDialog *dialog)
{
  g_autofree char *text = g_strstrip (g_strdup (gtk_editable_get_text (entry)));

  adw_message_dialog_set_response_enabled (dialog, "dismiss", *text != '\0');
}

static void
dismiss_response_cb (AdwMessageDialog *dialog,
                     const char       *response,
                     gpointer          user_data)
{
  DlgActionPlanPage *self = g_object_get_data (G_OBJECT (dialog), "page");
  DlgAction *action = g_object_get_data (G_OBJECT (dialog), "action");
  GtkEditable *entry = g_object_get_data (G_OBJECT (dialog), "entry");
  g_autoptr(GError) error = NULL;

  if (g_strcmp0 (response, "dismiss") != 0 || dlg_action_get_plan (action) != self->plan)
    return;

  if (!dlg_action_plan_dismiss (self->plan, action, gtk_editable_get_text (entry), &error))
    error_dialog (self, _("Cannot Dismiss"), error->message);
}

static void
dismiss_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  DlgActionPlanPage *self = DLG_ACTION_PLAN_PAGE (widget);
  DlgAction *action = action_from_parameter (self, parameter);
  g_autofree char *body = NULL;
  GtkWidget *dialog;
  GtkWidget *entry;

  if (action == NULL)
    return;

  body = g_strdup_printf (_("“%s” will not be in the plan. Say why the finding needs no action; the buyer will see it."),
                          dlg_action_get_title (action));
  dialog = adw_message_dialog_new (parent_window (self), _("Dismiss Proposal?"), body);
  entry = gtk_entry_new ();
  gtk_entry_set_placeholder_text (GTK_ENTRY (entry), _("Reason"));
  gtk_entry_set_activates_default (GTK_ENTRY (entry), TRUE);
  gtk_accessible_update_property (GTK_ACCESSIBLE (entry), GTK_ACCESSIBLE_PROPERTY_LABEL, _("Reason"), -1);
  adw_message_dialog_set_extra_child (ADW_MESSAGE_DIALOG (dialog), entry);
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "cancel", _("_Cancel"),
                                    "dismiss", _("_Dismiss"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "dismiss", ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_response_enabled (ADW_MESSAGE_DIALOG (dialog), "dismiss", FALSE);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "dismiss");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  g_object_set_data_full (G_OBJECT (dialog), "page", g_object_ref (self), g_object_unref);
  g_object_set_data_full (G_OBJECT (dialog), "action", g_object_ref (action), g_object_unref);
  g_object_set_data (G_OBJECT (dialog), "entry", entry);
  g_signal_connect (entry, "changed", G_CALLBACK (reason_changed_cb), dialog);
  g_signal_connect (dialog, "response", G_CALLBACK (dismiss_response_cb), NULL);
  gtk_window_present (GTK_WINDOW (dialog));
  gtk_widget_grab_focus (entry);
}

static void
editor_attach_cb (DlgActionEditor   *editor,
                  const char        *action_id,
                  DlgActionPlanPage *self)
{
  g_signal_emit (self, signals[ATTACH_EVIDENCE], 0, action_id);
}

static void
editor_open_cb (DlgActionEditor   *editor,
                const char        *action_id,
                const char        *sha256,
                DlgActionPlanPage *self)
{
  g_signal_emit (self, signals[OPEN_EVIDENCE], 0, action_id, sha256);
}

static void
editor_show_finding_cb (DlgActionEditor   *editor,
                        const char        *question_id,
                        DlgActionPlanPage *self)
{
  gtk_window_destroy (GTK_WINDOW (editor));
  g_signal_emit (self, signals[SHOW_FINDING], 0, question_id);
}

static void
open_editor (DlgActionPlanPage *self,
             DlgAction         *action)
{
  if (self->editor != NULL)
    gtk_window_destroy (GTK_WINDOW (self->editor));

  self->editor = dlg_action_editor_new (parent_window (self), action, self->questionnaire, self->language);
  g_object_add_weak_pointer (G_OBJECT (self->editor), (gpointer *) &self->editor);
  g_signal_connect_object (self->editor, "attach-evidence", G_CALLBACK (editor_attach_cb), self, 0);
  g_signal_connect_object (self->editor, "open-evidence", G_CALLBACK (editor_open_cb), self, 0);
  g_signal_connect_object (self->editor, "show-finding", G_CALLBACK (editor_show_finding_cb), self, 0);
  gtk_window_present (GTK_WINDOW (self->editor));
}

static void
edit_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  DlgActionPlanPage *self = DLG_ACTION_PLAN_PAGE (widget);
  DlgAction *action = action_from_parameter (self, parameter);

  if (action != NULL)
    open_editor (self, action);
}

static void
add_action (GtkWidget  *widget,
            const char *action_name,
            GVariant   *parameter)
{
  DlgActionPlanPage *self = DLG_ACTION_PLAN_PAGE (widget);
  g_autoptr(GError) error = NULL;
  DlgAction *action;

  if (self->plan == NULL)
    return;

  action = dlg_action_plan_add_action (self->plan, _("New action"), NULL, DLG_PRIORITY_MINOR, &error);
  if (action == NULL)
    {
      error_dialog (self, _("Cannot Add an Action"), error->message);
      return;
    }
  open_editor (self, action);
}

static void
merge_toggled_cb (GtkCheckButton   *check,
                  AdwMessageDialog *dialog)
{
  GPtrArray *checks = g_object_get_data (G_OBJECT (dialog), "checks");
  guint n = 0;

  for (guint i = 0; i < checks->len; i++)
    n += gtk_check_button_get_active (g_ptr_array_index (checks, i));
  adw_message_dialog_set_response_enabled (dialog, "merge", n >= 2);
}

static void
merge_response_cb (AdwMessageDialog *dialog,
                   const char       *response,
                   gpointer          user_data)
{
  DlgActionPlanPage *self = g_object_get_data (G_OBJECT (dialog), "page");
  GPtrArray *checks = g_object_get_data (G_OBJECT (dialog), "checks");
  g_autoptr(GPtrArray) chosen = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;

  if (g_strcmp0 (response, "merge") != 0 || self->plan == NULL)
    return;

  for (guint i = 0; i < checks->len; i++)
    if (gtk_check_button_get_active (g_ptr_array_index (checks, i)))
      {
        DlgAction *action = g_object_get_data (G_OBJECT (g_ptr_array_index (checks, i)), "action");

        if (dlg_action_get_plan (action) == self->plan)
          g_ptr_array_add (chosen, action);
      }

  if (!dlg_action_plan_merge (self->plan, (DlgAction **) chosen->pdata, chosen->len, &error))
    error_dialog (self, _("Cannot Merge"), error->message);
}

static void
merge_action (GtkWidget  *widget,
              const char *action_name,
              GVariant   *parameter)
{
  DlgActionPlanPage *self = DLG_ACTION_PLAN_PAGE (widget);
  GPtrArray *checks = g_ptr_array_new ();
  GtkWidget *dialog;
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  GtkWidget *scroller = gtk_scrolled_window_new ();

  if (self->plan == NULL)
    return;

  dialog = adw_message_dialog_new (parent_window (self), _("Merge Actions?"),
                                   _("Choose actions that share a cause. They become one, answering all their findings; the first keeps its title."));
  for (guint i = 0; i < dlg_action_plan_get_n_actions (self->plan); i++)
    {
      DlgAction *action = dlg_action_plan_get_action (self->plan, i);
      GtkWidget *check;

      if (dlg_action_get_disposition (action) == DLG_DISPOSITION_DISMISSED ||
          dlg_action_get_status (action) == DLG_ACTION_STATUS_VERIFIED)
        continue;

      check = gtk_check_button_new_with_label (dlg_action_get_title (action));
      g_object_set_data_full (G_OBJECT (check), "action", g_object_ref (action), g_object_unref);
      g_signal_connect (check, "toggled", G_CALLBACK (merge_toggled_cb), dialog);
      g_ptr_array_add (checks, check);
      gtk_box_append (GTK_BOX (box), check);
    }

  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scroller), box);
  gtk_scrolled_window_set_max_content_height (GTK_SCROLLED_WINDOW (scroller), 320);
  gtk_scrolled_window_set_propagate_natural_height (GTK_SCROLLED_WINDOW (scroller), TRUE);
  adw_message_dialog_set_extra_child (ADW_MESSAGE_DIALOG (dialog), scroller);
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "cancel", _("_Cancel"),
                                    "merge", _("_Merge"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "merge", ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_response_enabled (ADW_MESSAGE_DIALOG (dialog), "merge", FALSE);
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  g_object_set_data_full (G_OBJECT (dialog), "page", g_object_ref (self), g_object_unref);
  g_object_set_data_full (G_OBJECT (dialog), "checks", checks, (GDestroyNotify) g_ptr_array_unref);
  g_signal_connect (dialog, "response", G_CALLBACK (merge_response_cb), NULL);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
submit_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  DlgActionPlanPage *self = DLG_ACTION_PLAN_PAGE (widget);
  g_autoptr(GError) error = NULL;

  if (self->plan == NULL)
    return;

  if (!dlg_action_plan_submit (self->plan, self->user_name, NULL, &error))
    {
      /* The checklist beside the button says what is missing. */
      update_review (self);
      if (gtk_widget_get_visible (GTK_WIDGET (self->checklist_label)))
        gtk_widget_grab_focus (GTK_WIDGET (self->checklist_label));
      else
        error_dialog (self, _("Cannot Submit"), error->message);
    }
}

static void
reopen_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  DlgActionPlanPage *self = DLG_ACTION_PLAN_PAGE (widget);
  g_autoptr(GError) error = NULL;

  if (self->plan != NULL && !dlg_action_plan_reopen (self->plan, NULL, self->user_name, NULL, &error))
    error_dialog (self, _("Cannot Go Back to Draft"), error->message);
}

static void
show_done_finding_action (GtkWidget  *widget,
                          const char *action_name,
                          GVariant   *parameter)
{
  DlgActionPlanPage *self = DLG_ACTION_PLAN_PAGE (widget);

  if (self->done_finding != NULL)
    g_signal_emit (self, signals[SHOW_FINDING], 0, self->done_finding);
}

static void
hide_done_cb (DlgActionPlanPage *self)
{
  gtk_revealer_set_reveal_child (self->done_revealer, FALSE);
}

static void
dlg_action_plan_page_dispose (GObject *object)
{
  GtkWidget *child;
  DlgActionPlanPage *self = (DlgActionPlanPage *) object;

  g_clear_handle_id (&self->rebuild_id, g_source_remove);
  if (self->editor != NULL)
    gtk_window_destroy (GTK_WINDOW (self->editor));
  if (self->plan != NULL)
    g_signal_handlers_disconnect_by_func (self->plan, plan_changed_cb, self);
  g_clear_object (&self->plan);
  g_clear_object (&self->questionnaire);

  gtk_widget_dispose_template (GTK_WIDGET (self), DLG_TYPE_ACTION_PLAN_PAGE);
  /* The template's top-level children are not all bound; unparent them all. */
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))))
    gtk_widget_unparent (child);

  G_OBJECT_CLASS (dlg_action_plan_page_parent_class)->dispose (object);
}

static void
dlg_action_plan_page_finalize (GObject *object)
{
  DlgActionPlanPage *self = (DlgActionPlanPage *) object;

  g_clear_pointer (&self->statuses, g_hash_table_unref);
  g_free (self->language);
  g_free (self->user_name);
  g_free (self->done_finding);

  G_OBJECT_CLASS (dlg_action_plan_page_parent_class)->finalize (object);
}

static void
dlg_action_plan_page_class_init (DlgActionPlanPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = dlg_action_plan_page_dispose;
  object_class->finalize = dlg_action_plan_page_finalize;

  /**
   * DlgActionPlanPage::attach-evidence:
   * @action_id: the action to attach a file to
   */
  signals[ATTACH_EVIDENCE] =
    g_signal_new ("attach-evidence", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);
  signals[OPEN_EVIDENCE] =
    g_signal_new ("open-evidence", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 2, G_TYPE_STRING, G_TYPE_STRING);
  /**
   * DlgActionPlanPage::show-finding:
   * @question_id: the question whose answer to show
   */
  signals[SHOW_FINDING] =
    g_signal_new ("show-finding", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_BASE "/dlg-action-plan-page.ui");
  gtk_widget_class_bind_template_child (widget_class, DlgActionPlanPage, scroller);
  gtk_widget_class_bind_template_child (widget_class, DlgActionPlanPage, review_icon);
  gtk_widget_class_bind_template_child (widget_class, DlgActionPlanPage, review_label);
  gtk_widget_class_bind_template_child (widget_class, DlgActionPlanPage, review_detail);
  gtk_widget_class_bind_template_child (widget_class, DlgActionPlanPage, summary_label);
  gtk_widget_class_bind_template_child (widget_class, DlgActionPlanPage, checklist_label);
  gtk_widget_class_bind_template_child (widget_class, DlgActionPlanPage, reopen_button);
  gtk_widget_class_bind_template_child (widget_class, DlgActionPlanPage, submit_button);
  gtk_widget_class_bind_template_child (widget_class, DlgActionPlanPage, done_revealer);
  gtk_widget_class_bind_template_child (widget_class, DlgActionPlanPage, done_label);
  gtk_widget_class_bind_template_child (widget_class, DlgActionPlanPage, proposals_box);
  gtk_widget_class_bind_template_child (widget_class, DlgActionPlanPage, proposals_list);
  gtk_widget_class_bind_template_child (widget_class, DlgActionPlanPage, actions_list);
  gtk_widget_class_bind_template_child (widget_class, DlgActionPlanPage, dismissed_expander);
  gtk_widget_class_bind_template_child (widget_class, DlgActionPlanPage, dismissed_list);
  gtk_widget_class_bind_template_child (widget_class, DlgActionPlanPage, history_expander);
  gtk_widget_class_bind_template_child (widget_class, DlgActionPlanPage, history_label);
  gtk_widget_class_bind_template_callback (widget_class, hide_done_cb);

  gtk_widget_class_install_action (widget_class, "plan.accept", "s", accept_action);
  gtk_widget_class_install_action (widget_class, "plan.dismiss", "s", dismiss_action);
  gtk_widget_class_install_action (widget_class, "plan.restore", "s", restore_action);
  gtk_widget_class_install_action (widget_class, "plan.edit", "s", edit_action);
  gtk_widget_class_install_action (widget_class, "plan.add", NULL, add_action);
  gtk_widget_class_install_action (widget_class, "plan.merge", NULL, merge_action);
  gtk_widget_class_install_action (widget_class, "plan.submit", NULL, submit_action);
  gtk_widget_class_install_action (widget_class, "plan.reopen", NULL, reopen_action);
  gtk_widget_class_install_action (widget_class, "plan.show-done-finding", NULL, show_done_finding_action);
}

static void
dlg_action_plan_page_init (DlgActionPlanPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->statuses = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_date_clear (&self->today, 1);
}

GtkWidget *
dlg_action_plan_page_new (void)
{
  return g_object_new (DLG_TYPE_ACTION_PLAN_PAGE, NULL);
}

/**
 * dlg_action_plan_page_set_plan:
 * @plan: (nullable): the plan to show and edit
 * @questionnaire: (nullable): for the findings' text
 */
void
dlg_action_plan_page_set_plan (DlgActionPlanPage *self,
                               DlgActionPlan     *plan,
                               DlgQuestionnaire  *questionnaire,
                               const char        *language)
{
  g_return_if_fail (DLG_IS_ACTION_PLAN_PAGE (self));

  if (self->editor != NULL)
    gtk_window_destroy (GTK_WINDOW (self->editor));
  if (self->plan != NULL)
    g_signal_handlers_disconnect_by_func (self->plan, plan_changed_cb, self);

  g_set_object (&self->plan, plan);
  g_set_object (&self->questionnaire, questionnaire);
  g_free (self->language);
  self->language = g_strdup (language);
  g_hash_table_remove_all (self->statuses);
  gtk_revealer_set_reveal_child (self->done_revealer, FALSE);

  if (plan != NULL)
    {
      g_signal_connect_swapped (plan, "changed", G_CALLBACK (plan_changed_cb), self);
      dlg_action_plan_page_update (self);
    }
}

/**
 * dlg_action_plan_page_get_plan:
 *
 * Returns: (transfer none) (nullable): the plan shown
 */
DlgActionPlan *
dlg_action_plan_page_get_plan (DlgActionPlanPage *self)
{
  g_return_val_if_fail (DLG_IS_ACTION_PLAN_PAGE (self), NULL);
  return self->plan;
}

/**
 * dlg_action_plan_page_set_user_name:
 *
 * Who submits or withdraws the plan, for its history.
 */
void
dlg_action_plan_page_set_user_name (DlgActionPlanPage *self,
                                    const char        *name)
{
  g_return_if_fail (DLG_IS_ACTION_PLAN_PAGE (self));
  g_free (self->user_name);
  self->user_name = g_strdup (name);
}

/**
 * dlg_action_plan_page_set_today:
 * @today: (nullable): the date overdue is counted from, or %NULL for the
 *   real date
 */
void
dlg_action_plan_page_set_today (DlgActionPlanPage *self,
                                const GDate       *date)
{
  g_return_if_fail (DLG_IS_ACTION_PLAN_PAGE (self));

  self->today_set = date != NULL;
  if (date != NULL)
    self->today = *date;
  if (self->plan != NULL)
    dlg_action_plan_page_update (self);
}

/**
 * dlg_action_plan_page_get_editor:
 *
 * Returns: (transfer none) (nullable): the action editor, while open
 */
GtkWidget *
dlg_action_plan_page_get_editor (DlgActionPlanPage *self)
{
  g_return_val_if_fail (DLG_IS_ACTION_PLAN_PAGE (self), NULL);
  return self->editor;
}

/**
 * dlg_action_plan_page_get_done_finding:
 *
 * Returns: (nullable): the finding of the action last done, while the page
 *   suggests reviewing its answer
 */
const char *
dlg_action_plan_page_get_done_finding (DlgActionPlanPage *self)
{
  g_return_val_if_fail (DLG_IS_ACTION_PLAN_PAGE (self), NULL);
  return gtk_revealer_get_reveal_child (self->done_revealer) ? self->done_finding : NULL;
}
