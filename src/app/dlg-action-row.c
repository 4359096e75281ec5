/* dlg-action-row.c - one corrective action in a list
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A proposal offers Accept and Dismiss; an action in the plan shows its
 * status, owner, due date and whether it is late, and opens the editor
 * when activated; a dismissed proposal shows why and offers Restore. The
 * buttons activate the page's "plan." actions with the action's id, so that
 * the keyboard, the mouse and tests all go the same way. Urgency and
 * priority are words with an icon, never colour alone.
 */

#define G_LOG_DOMAIN "dlg-action-row"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "dlg-action-row.h"

struct _DlgActionRow
{
  GtkListBoxRow  parent_instance;

  DlgAction     *action;
};

G_DEFINE_FINAL_TYPE (DlgActionRow, dlg_action_row, GTK_TYPE_LIST_BOX_ROW)

static void
dlg_action_row_dispose (GObject *object)
{
  DlgActionRow *self = (DlgActionRow *) object;

  g_clear_object (&self->action);

  G_OBJECT_CLASS (dlg_action_row_parent_class)->dispose (object);
}

static void
dlg_action_row_class_init (DlgActionRowClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = dlg_action_row_dispose;
}

static void
dlg_action_row_init (DlgActionRow *self)
{
}

/**
 * dlg_action_describe_findings:
 *
 * Returns: (transfer full): the texts of the questions an action answers,
 *   one per line
 */
char *
dlg_action_describe_findings (DlgAction        *action,
                              DlgQuestionnaire *questionnaire,
                              const char       *language)
{
  const char * const *findings = dlg_action_get_findings (action);
  g_autoptr(GString) out = g_string_new (NULL);

  for (guint i = 0; findings[i]; i++)
    {
      DlgQuestion *q = questionnaire ? dlg_questionnaire_lookup_question (questionnaire, findings[i]) : NULL;

      g_string_append_printf (out, "%s%s", i ? "\n" : "",
                              q ? dlg_text_get (q->text, language)
                                : findings[i]);
    }
  return g_string_free (g_steal_pointer (&out), FALSE);
}

static GtkWidget *
tag (const char *icon_name,
     const char *text,
     const char *css_class)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 4);
  GtkWidget *label = gtk_label_new (text);

  gtk_widget_set_valign (box, GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (box, "action-tag");
  if (css_class != NULL)
    gtk_widget_add_css_class (box, css_class);
  if (icon_name != NULL)
    {
      GtkWidget *icon = gtk_image_new_from_icon_name (icon_name);

      gtk_accessible_update_state (GTK_ACCESSIBLE (icon), GTK_ACCESSIBLE_STATE_HIDDEN, TRUE, -1);
      gtk_box_append (GTK_BOX (box), icon);
    }
  gtk_box_append (GTK_BOX (box), label);
  return box;
}

/* The reviewer's last word on @action: the reason of the event that put
 * it in its present review state. */
static const DlgReviewEvent *
last_decision (DlgAction *action)
{
  DlgActionPlan *plan = dlg_action_get_plan (action);
  GPtrArray *history = plan ? dlg_action_plan_get_history (plan) : NULL;
  DlgReviewState state = dlg_action_get_review_state (action);

  for (guint i = history ? history->len : 0; i > 0; i--)
    {
      const DlgReviewEvent *event = g_ptr_array_index (history, i - 1);

      if (g_strcmp0 (event->action_id, dlg_action_get_id (action)) == 0 && event->to == state)
        return event;
    }
  return NULL;
}

static const char *
review_class (DlgReviewState state)
{
  switch (state)
    {
    case DLG_REVIEW_APPROVED: return "decision-approved";
    case DLG_REVIEW_CHANGES_REQUESTED: return "decision-changes";
    case DLG_REVIEW_REJECTED: return "decision-rejected";
    default: return NULL;
    }
}

static GtkWidget *
action_button (const char *label,
               const char *action_name,
               const char *id,
               const char *tooltip)
{
  GtkWidget *button = gtk_button_new_with_mnemonic (label);

  gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
  gtk_actionable_set_action_name (GTK_ACTIONABLE (button), action_name);
  gtk_actionable_set_action_target (GTK_ACTIONABLE (button), "s", id);
  if (tooltip != NULL)
    gtk_widget_set_tooltip_text (button, tooltip);
  return button;
}

static const char *
priority_class (DlgPriority priority)
{
  switch (priority)
    {
    case DLG_PRIORITY_PRIORITY: return "priority-priority";
    case DLG_PRIORITY_MAJOR: return "priority-major";
    case DLG_PRIORITY_MINOR:
    default: return "priority-minor";
    }
}

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

/**
 * dlg_action_row_new:
 * @questionnaire: (nullable): for the findings' text
 * @today: the date overdue is counted from
 *
 * The row stacks its title, a line of details, the tags (status, urgency,
 * priority) and its buttons, so that it fits a phone-sized window.
 */
GtkWidget *
dlg_action_row_new (DlgAction        *action,
                    DlgQuestionnaire *questionnaire,
                    const char       *language,
                    const GDate      *today)
{
  DlgActionRow *self;
  g_autofree char *findings = NULL;
  g_autofree char *subtitle = NULL;
  g_autofree char *first_line = NULL;
  const char *id = dlg_action_get_id (action);
  const char *title = dlg_action_get_title (action);
  DlgPriority priority = dlg_action_get_priority (action);
  GtkWidget *box, *heading, *tags, *buttons = NULL;
  GtkWidget *decision = NULL;
  g_autofree char *description = NULL;

  g_return_val_if_fail (DLG_IS_ACTION (action), NULL);

  self = g_object_new (DLG_TYPE_ACTION_ROW, NULL);
  self->action = g_object_ref (action);

  findings = dlg_action_describe_findings (action, questionnaire, language);
  first_line = g_strdup (findings);
  if (strchr (first_line, '\n') != NULL)
    *strchr (first_line, '\n') = '\0';

  box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  gtk_widget_add_css_class (box, "action-row");
  heading = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  tags = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);

  {
    GtkWidget *label = wrapped_label (title, "heading");

    gtk_widget_set_hexpand (label, TRUE);
    gtk_box_append (GTK_BOX (heading), label);
  }

  switch (dlg_action_get_disposition (action))
    {
    case DLG_DISPOSITION_PROPOSED:
      {
        g_autofree char *dismiss_tip = g_strdup_printf (_("Dismiss “%s”, saying why"), title);
        g_autofree char *accept_tip = g_strdup_printf (_("Add “%s” to the plan"), title);
        GtkWidget *accept = action_button (_("_Accept"), "plan.accept", id, accept_tip);
        GtkWidget *dismiss = action_button (_("_Dismiss…"), "plan.dismiss", id, dismiss_tip);

        if (g_strcmp0 (first_line, title) != 0 && *first_line != '\0')
          /* TRANSLATORS: a proposed action, "For the answer to: <question>" */
          subtitle = g_strdup_printf (_("For the answer to: %s"), first_line);
        else
          subtitle = g_strdup (_("For the answer to this question"));
        gtk_box_append (GTK_BOX (tags), tag ("dialog-information-symbolic", C_("action", "Proposed"), "priority-minor"));
        gtk_box_append (GTK_BOX (tags), tag (NULL, dlg_priority_get_label (priority), priority_class (priority)));

        buttons = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
        gtk_widget_add_css_class (accept, "suggested-action");
        gtk_box_append (GTK_BOX (buttons), accept);
        gtk_box_append (GTK_BOX (buttons), dismiss);
        gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (self), FALSE);
      }
      break;

    case DLG_DISPOSITION_ACCEPTED:
      {
        const char *owner = dlg_action_get_field (action, DLG_ACTION_FIELD_OWNER_NAME);
        const char *due = dlg_action_get_due_date (action);
        DlgActionStatus status = dlg_action_get_status (action);
        DlgUrgency urgency = dlg_action_get_urgency (action, today);
        g_autoptr(GPtrArray) parts = g_ptr_array_new_with_free_func (g_free);
        GtkWidget *next = gtk_image_new_from_icon_name ("go-next-symbolic");

        g_ptr_array_add (parts, g_strdup (owner ? owner : _("No owner")));
        g_ptr_array_add (parts, due ? g_strdup_printf (_("Due %s"), due) : g_strdup (_("No due date")));
        /* The finding, unless the title already says it. */
        if (*first_line != '\0' && g_strcmp0 (first_line, title) != 0)
          g_ptr_array_add (parts, g_strdup (first_line));
        g_ptr_array_add (parts, NULL);
        subtitle = g_strjoinv (" · ", (char **) parts->pdata);

        gtk_accessible_update_state (GTK_ACCESSIBLE (next), GTK_ACCESSIBLE_STATE_HIDDEN, TRUE, -1);
        gtk_widget_set_valign (next, GTK_ALIGN_CENTER);
        gtk_box_append (GTK_BOX (heading), next);

        gtk_box_append (GTK_BOX (tags), tag (dlg_action_status_get_icon_name (status),
                                             dlg_action_status_get_label (status), "priority-minor"));
        if (urgency != DLG_URGENCY_NONE)
          gtk_box_append (GTK_BOX (tags), tag (dlg_urgency_get_icon_name (urgency), dlg_urgency_get_label (urgency),
                                               urgency == DLG_URGENCY_OVERDUE ? "urgency-overdue" : "urgency-due-soon"));
        gtk_box_append (GTK_BOX (tags), tag (NULL, dlg_priority_get_label (priority), priority_class (priority)));

        /* The buyer's decision, with the reason they gave. */
        if (review_class (dlg_action_get_review_state (action)) != NULL)
          {
            DlgReviewState state = dlg_action_get_review_state (action);
            const DlgReviewEvent *event = last_decision (action);
            g_autofree char *text = NULL;

            gtk_box_append (GTK_BOX (tags), tag (dlg_review_state_get_icon_name (state),
                                                 dlg_review_state_get_label (state), review_class (state)));
            if (event != NULL && event->reason != NULL)
              {
                /* TRANSLATORS: a reviewer's decision on an action, then their reason */
                text = event->by ? g_strdup_printf (_("%s, by %s: %s"), dlg_review_state_get_label (state), event->by, event->reason)
                                 : g_strdup_printf (_("%s: %s"), dlg_review_state_get_label (state), event->reason);
                decision = wrapped_label (text, "decision-reason");
                description = g_strdup (text);
              }
          }
        gtk_actionable_set_action_name (GTK_ACTIONABLE (self), "plan.edit");
        gtk_actionable_set_action_target (GTK_ACTIONABLE (self), "s", id);
        gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (self), TRUE);
      }
      break;

    case DLG_DISPOSITION_DISMISSED:
    default:
      {
        g_autofree char *restore_tip = g_strdup_printf (_("Propose “%s” again"), title);

        /* TRANSLATORS: a dismissed proposal, "Dismissed: <reason>" */
        subtitle = g_strdup_printf (_("Dismissed: %s"), dlg_action_get_dismissal_reason (action));
        buttons = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
        gtk_box_append (GTK_BOX (buttons), action_button (_("_Restore"), "plan.restore", id, restore_tip));
        gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (self), FALSE);
        gtk_widget_set_visible (tags, FALSE);
      }
      break;
    }

  gtk_box_append (GTK_BOX (box), heading);
  gtk_box_append (GTK_BOX (box), wrapped_label (subtitle, "dim-label"));
  gtk_box_append (GTK_BOX (box), tags);
  if (decision != NULL)
    gtk_box_append (GTK_BOX (box), decision);
  if (buttons != NULL)
    {
      gtk_widget_set_halign (buttons, GTK_ALIGN_END);
      gtk_box_append (GTK_BOX (box), buttons);
    }
  gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (self), box);

  /* Read as one: the title names the row, the rest describes it. */
  if (description != NULL)
    {
      g_autofree char *joined = g_strdup_printf ("%s. %s", subtitle, description);

      gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                      GTK_ACCESSIBLE_PROPERTY_LABEL, title,
                                      GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, joined,
                                      -1);
    }
  else
    gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                    GTK_ACCESSIBLE_PROPERTY_LABEL, title,
                                    GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, subtitle,
                                    -1);
  return GTK_WIDGET (self);
}

DlgAction *
dlg_action_row_get_action (DlgActionRow *self)
{
  g_return_val_if_fail (DLG_IS_ACTION_ROW (self), NULL);
  return self->action;
}
