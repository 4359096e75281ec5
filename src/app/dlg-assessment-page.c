/* dlg-assessment-page.c - answering a questionnaire, section by section
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Sections are listed in a sidebar with their level and progress; the
 * questions of the selected section are a GtkListView, so that only the rows
 * on screen exist however long the questionnaire is. The first sidebar entry
 * is the results dashboard, then the action plan and progress over time.
 * Every change re-evaluates the assessment (cheap: one pass over the
 * questions) and updates levels, progress, which questions are visible,
 * and the action plan's proposals.
 *
 * Answers carried over from the last period are "to confirm" until the
 * user confirms or changes them; the page knows which, marks their rows,
 * and asks the window to record confirmations.
 */

#define G_LOG_DOMAIN "dlg-assessment-page"

#include "config.h"

#include <adwaita.h>
#include <glib/gi18n.h>
#include <string.h>

#include "dlg-action-plan-page.h"
#include "dlg-assessment-page.h"
#include "dlg-heat-map.h"
#include "dlg-height-for-width-bin.h"
#include "dlg-level-badge.h"
#include "dlg-progress-page.h"
#include "dlg-question-object.h"
#include "dlg-question-row.h"
#include "dlg-section-row.h"

/* Pages of the sidebar that are not sections. */
#define RESULTS -1
#define ACTIONS -2
#define PROGRESS -3

/* How many question rows a freshly filled list starts with. GTK 4.8's
 * list widgets keep some thirty rows alive whatever fits on screen; a new
 * section shows the rows that fit first and gets the rest one frame
 * later (see show_first_rows()). */
#define FIRST_ROWS 6

struct _DlgAssessmentPage
{
  GtkWidget           parent_instance;

  /* Template widgets */
  AdwLeaflet         *leaflet;
  GtkWidget          *sidebar;
  GtkWidget          *content;
  AdwWindowTitle     *sidebar_title;
  GtkListBox         *section_list;
  AdwWindowTitle     *content_title;
  GtkToggleButton    *search_button;
  GtkSearchBar       *search_bar;
  GtkSearchEntry     *search_entry;
  GtkProgressBar     *progress_bar;
  GtkStack           *content_stack;
  GtkGridView        *question_list;
  GtkLabel           *score_label;
  DlgLevelBadge      *overall_badge;
  GtkLabel           *overall_detail;
  GtkLabel           *critical_label;
  DlgHeatMap         *heat_map;
  GtkLabel           *comparison_label;
  GtkListBox         *findings_list;
  DlgActionPlanPage  *action_plan_page;
  DlgProgressPage    *progress_page;
  GtkRevealer        *confirm_revealer;
  GtkLabel           *confirm_label;
  GtkRevealer        *signed_revealer;
  GtkImage           *report_icon;
  GtkLabel           *report_title;
  GtkLabel           *report_label;
  GtkWidget          *sign_button;
  GtkWidget          *show_report_button;
  GtkWidget          *correct_button;

  /* Owned references */
  DlgAssessment      *assessment;
  DlgEvaluation      *evaluation;
  GListStore         *questions;
  GtkCustomFilter    *filter;
  GtkSliceListModel  *first_rows;    /* the start of the filtered questions */
  guint               grow_tick;
  gint64              grow_frame;     /* of the first tick, or -1 before it */
  GPtrArray          *bound_rows;
  GPtrArray          *section_rows;
  char               *language;
  char               *search;
  guint8             *visible;      /* last known visibility, by question index */
  DlgActionPlan      *plan;
  GHashTable         *unconfirmed;  /* question ids carried over, to confirm */
  GtkWidget          *actions_row;

  gboolean            quick_scan;
  gboolean            read_only;    /* signed: answers are frozen */
  int                 current;      /* section index, or RESULTS */
};

G_DEFINE_FINAL_TYPE (DlgAssessmentPage, dlg_assessment_page, GTK_TYPE_WIDGET)

enum {
  ATTACH_EVIDENCE,
  OPEN_EVIDENCE,
  REMOVE_EVIDENCE,
  CONFIRM_ANSWERS,
  ATTACH_ACTION_EVIDENCE,
  OPEN_ACTION_EVIDENCE,
  PROGRESS_REQUESTED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static DlgQuestionnaire *
questionnaire (DlgAssessmentPage *self)
{
  return dlg_assessment_get_questionnaire (self->assessment);
}

static gboolean
filter_func (gpointer item,
             gpointer user_data)
{
  DlgAssessmentPage *self = user_data;
  const DlgQuestion *q = dlg_question_object_get_question (item);

  if (self->evaluation == NULL || !self->evaluation->questions[q->index].visible)
    return FALSE;

  if (self->search != NULL)
    {
      g_autofree char *text = g_utf8_casefold (dlg_text_get (q->text, self->language), -1);
      return strstr (text, self->search) != NULL;
    }

  return TRUE;
}

static char *
section_subtitle (const DlgSectionResult *sr,
                  guint                   n_to_confirm)
{
  g_autofree char *base = NULL;

  if (sr->n_required == 0)
    base = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u question", "%u questions", sr->n_visible),
                            sr->n_visible);
  else
    /* TRANSLATORS: progress of a section, "3 of 8 answered" */
    base = g_strdup_printf (_("%u of %u answered"), sr->n_required_answered, sr->n_required);

  if (n_to_confirm == 0)
    return g_steal_pointer (&base);
  /* TRANSLATORS: a section's progress, then "2 to confirm" */
  return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%s · %u to confirm", "%s · %u to confirm", n_to_confirm),
                          base, n_to_confirm);
}

static guint
count_to_confirm (DlgAssessmentPage *self,
                  int                section)
{
  GHashTableIter iter;
  gpointer key;
  guint n = 0;

  if (self->unconfirmed == NULL)
    return 0;

  g_hash_table_iter_init (&iter, self->unconfirmed);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    {
      DlgQuestion *q = dlg_questionnaire_lookup_question (questionnaire (self), key);

      if (q != NULL && (section < 0 || (int) q->section->index == section))
        n++;
    }
  return n;
}

static void
update_confirm_bar (DlgAssessmentPage *self)
{
  guint in_section = self->current >= 0 ? count_to_confirm (self, self->current) : 0;
  guint total = count_to_confirm (self, -1);

  if (in_section > 0)
    {
      g_autofree char *text =
        g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                      "%u answer in this section was carried over from the last period (%u in all). Confirm each one, or change it.",
                                      "%u answers in this section were carried over from the last period (%u in all). Confirm each one, or change it.",
                                      in_section),
                         in_section, total);
      gtk_label_set_label (self->confirm_label, text);
    }
  gtk_revealer_set_reveal_child (self->confirm_revealer, in_section > 0 && self->search == NULL && !self->read_only);
}

static void
update_actions_row (DlgAssessmentPage *self)
{
  g_autofree char *subtitle = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  GDate today;
  guint n_open, n_overdue, n_closed, n_proposed;

  if (self->actions_row == NULL)
    return;
  gtk_widget_set_visible (self->actions_row, self->plan != NULL);
  if (self->plan == NULL)
    return;

  g_date_clear (&today, 1);
  g_date_set_dmy (&today, g_date_time_get_day_of_month (now), g_date_time_get_month (now),
                  g_date_time_get_year (now));
  dlg_action_plan_count (self->plan, &today, &n_open, &n_overdue, &n_closed, &n_proposed);
  if (n_overdue > 0)
    /* TRANSLATORS: the sidebar's action plan entry: "3 open, 1 overdue" */
    subtitle = g_strdup_printf (_("%u open, %u overdue"), n_open, n_overdue);
  else if (n_proposed > 0)
    subtitle = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u proposal to decide on", "%u proposals to decide on",
                                             n_proposed), n_proposed);
  else
    subtitle = g_strdup_printf (_("%u open, %u done"), n_open, n_closed);
  dlg_section_row_set_subtitle (DLG_SECTION_ROW (self->actions_row), subtitle);
}

static void
update_sidebar (DlgAssessmentPage *self)
{
  for (guint i = 0; i < self->section_rows->len; i++)
    {
      DlgSectionRow *row = g_ptr_array_index (self->section_rows, i);
      const DlgSectionResult *sr = &self->evaluation->sections[i];
      g_autofree char *subtitle = section_subtitle (sr, count_to_confirm (self, i));

      gtk_widget_set_visible (GTK_WIDGET (row), sr->visible);
      dlg_section_row_set_subtitle (row, subtitle);
      dlg_level_badge_set_level (dlg_section_row_get_badge (row), sr->level);
    }
}

static void
update_progress (DlgAssessmentPage *self)
{
  const DlgEvaluation *ev = self->evaluation;
  g_autofree char *text = NULL;

  gtk_progress_bar_set_fraction (self->progress_bar, dlg_evaluation_get_progress (ev));
  /* TRANSLATORS: overall progress, "58 of 64 required questions answered" */
  text = g_strdup_printf (_("%u of %u required questions answered"), ev->n_required_answered, ev->n_required);
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->progress_bar), text);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->progress_bar),
                                  GTK_ACCESSIBLE_PROPERTY_VALUE_TEXT, text,
                                  -1);
  adw_window_title_set_subtitle (self->sidebar_title, text);
}

static void
add_finding_row (DlgAssessmentPage *self,
                 const DlgQuestion *q,
                 DlgLevel           level)
{
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *badge = dlg_level_badge_new ();
  g_autofree char *title = g_markup_escape_text (dlg_text_get (q->text, self->language), -1);
  g_autofree char *subtitle = NULL;

  dlg_level_badge_set_level (DLG_LEVEL_BADGE (badge), level);
  if (q->critical && level == DLG_LEVEL_RED)
    dlg_level_badge_set_detail (DLG_LEVEL_BADGE (badge), _("critical"));
  subtitle = g_markup_escape_text (dlg_text_get (q->section->title, self->language), -1);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_action_row_set_title_lines (ADW_ACTION_ROW (row), 3);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  adw_action_row_add_prefix (ADW_ACTION_ROW (row), badge);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), gtk_image_new_from_icon_name ("go-next-symbolic"));
  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), TRUE);
  g_object_set_data (G_OBJECT (row), "question", (gpointer) q);
  gtk_list_box_append (self->findings_list, row);
}

static void
update_results (DlgAssessmentPage *self)
{
  const DlgEvaluation *ev = self->evaluation;
  DlgQuestionnaire *q = questionnaire (self);
  g_autofree char *detail = NULL;
  GtkWidget *child;
  guint n_findings = 0;

  if (ev->has_score)
    {
      g_autofree char *score = g_strdup_printf ("%.0f %%", ev->score);
      gtk_label_set_label (self->score_label, score);
    }
  else
    gtk_label_set_label (self->score_label, "–");

  dlg_level_badge_set_level (self->overall_badge, ev->level);
  if (!ev->complete && !ev->critical_red)
    detail = g_strdup_printf (_("%s. The score is provisional until every required question is answered (%u of %u)."),
                              dlg_level_get_description (ev->level), ev->n_required_answered, ev->n_required);
  else
    detail = g_strdup_printf ("%s.", dlg_level_get_description (ev->level));
  gtk_label_set_label (self->overall_detail, detail);

  gtk_widget_set_visible (GTK_WIDGET (self->critical_label), ev->critical_red);
  if (ev->critical_red)
    gtk_label_set_label (self->critical_label,
                         _("A zero-tolerance finding makes the whole result red, whatever the score."));

  dlg_heat_map_set_evaluation (self->heat_map, self->evaluation, self->language);

  /* Quick scan and full questionnaire side by side, when both make sense. */
  if (dlg_questionnaire_get_n_quick_scan (q) > 0)
    {
      g_autoptr(DlgEvaluation) other = dlg_evaluate (self->assessment, !self->quick_scan);
      g_autofree char *text = NULL;
      g_autofree char *score = other->has_score ? g_strdup_printf ("%.0f %%", other->score) : g_strdup ("–");

      if (self->quick_scan)
        text = g_strdup_printf (_("Full questionnaire with the same answers: %s, %s (%u of %u required questions answered)."),
                                dlg_level_get_label (other->level), score,
                                other->n_required_answered, other->n_required);
      else
        text = g_strdup_printf (_("Quick scan with the same answers: %s, %s."),
                                dlg_level_get_label (other->level), score);
      gtk_label_set_label (self->comparison_label, text);
      gtk_widget_set_visible (GTK_WIDGET (self->comparison_label), TRUE);
    }
  else
    gtk_widget_set_visible (GTK_WIDGET (self->comparison_label), FALSE);

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->findings_list))))
    gtk_list_box_remove (self->findings_list, child);

  /* Red first, then amber, in questionnaire order. */
  for (DlgLevel level = DLG_LEVEL_RED; level >= DLG_LEVEL_AMBER; level--)
    for (guint i = 0; i < ev->n_questions; i++)
      if (ev->questions[i].visible && ev->questions[i].level == level)
        {
          add_finding_row (self, dlg_questionnaire_get_question (q, i), level);
          n_findings++;
        }

  if (n_findings == 0)
    {
      GtkWidget *row = adw_action_row_new ();

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row),
                                     ev->n_answered > 0 ? _("No amber or red answers") : _("No answers yet"));
      gtk_list_box_append (self->findings_list, row);
    }
}

static void
refresh (DlgAssessmentPage *self)
{
  DlgQuestionnaire *q = questionnaire (self);
  guint n = dlg_questionnaire_get_n_questions (q);
  gboolean visibility_changed = FALSE;

  g_clear_pointer (&self->evaluation, dlg_evaluation_unref);
  self->evaluation = dlg_evaluate (self->assessment, self->quick_scan);

  for (guint i = 0; i < n; i++)
    if (self->visible[i] != (guint8) self->evaluation->questions[i].visible)
      {
        self->visible[i] = self->evaluation->questions[i].visible;
        visibility_changed = TRUE;
      }

  /* Findings follow the answers; the score never follows the plan. */
  if (self->plan != NULL)
    dlg_action_plan_propose (self->plan, self->evaluation, self->language);

  update_sidebar (self);
  update_progress (self);
  update_actions_row (self);
  update_confirm_bar (self);

  for (guint i = 0; i < self->bound_rows->len; i++)
    {
      DlgQuestionRow *row = g_ptr_array_index (self->bound_rows, i);
      const DlgQuestion *question = dlg_question_row_get_question (row);

      if (question != NULL)
        {
          dlg_question_row_update_result (row, &self->evaluation->questions[question->index]);
          dlg_question_row_set_to_confirm (row, self->unconfirmed != NULL &&
                                                g_hash_table_contains (self->unconfirmed, question->id));
        }
    }

  if (visibility_changed)
    gtk_filter_changed (GTK_FILTER (self->filter), GTK_FILTER_CHANGE_DIFFERENT);

  if (self->current == RESULTS)
    update_results (self);
}

static void
assessment_changed_cb (DlgAssessmentPage *self,
                       const char        *question_id)
{
  /* Changing a carried-over answer is as good as confirming it: the store
   * clears the mark when it saves the answer. */
  if (self->unconfirmed != NULL && question_id != NULL)
    g_hash_table_remove (self->unconfirmed, question_id);
  refresh (self);
}

static void
stop_growing (DlgAssessmentPage *self)
{
  if (self->grow_tick != 0 && self->question_list != NULL)
    gtk_widget_remove_tick_callback (GTK_WIDGET (self->question_list), self->grow_tick);
  self->grow_tick = 0;
}

static void
show_all_rows (DlgAssessmentPage *self)
{
  stop_growing (self);
  gtk_slice_list_model_set_size (self->first_rows, G_MAXUINT);
}

static gboolean
grow_tick_cb (GtkWidget     *list,
              GdkFrameClock *clock,
              gpointer       user_data)
{
  DlgAssessmentPage *self = user_data;

  /* The first tick comes before the frame that shows the first rows;
   * the next one, after it. */
  if (self->grow_frame < 0)
    {
      self->grow_frame = gdk_frame_clock_get_frame_counter (clock);
      return G_SOURCE_CONTINUE;
    }
  if (gdk_frame_clock_get_frame_counter (clock) == self->grow_frame)
    return G_SOURCE_CONTINUE;

  self->grow_tick = 0;
  gtk_slice_list_model_set_size (self->first_rows, G_MAXUINT);
  return G_SOURCE_REMOVE;
}

/* The rows that fit on screen are drawn first; the list gets its other
 * rows a frame later, so a long section appears at once instead of
 * after building rows no one sees yet. Everything that looks for a row
 * by position calls show_all_rows() first. */
static void
show_first_rows (DlgAssessmentPage *self)
{
  stop_growing (self);
  self->grow_frame = -1;
  gtk_slice_list_model_set_size (self->first_rows, FIRST_ROWS);
  self->grow_tick = gtk_widget_add_tick_callback (GTK_WIDGET (self->question_list), grow_tick_cb, self, NULL);
}

static void
fill_questions (DlgAssessmentPage *self)
{
  DlgQuestionnaire *q = questionnaire (self);
  g_autoptr(GPtrArray) items = g_ptr_array_new_with_free_func (g_object_unref);

  for (guint s = 0; s < dlg_questionnaire_get_n_sections (q); s++)
    {
      DlgSection *section = dlg_questionnaire_get_section (q, s);

      if (self->search == NULL && (int) s != self->current)
        continue;

      for (guint j = 0; j < section->questions->len; j++)
        g_ptr_array_add (items, dlg_question_object_new (q, g_ptr_array_index (section->questions, j), j + 1));
    }

  show_first_rows (self);
  g_list_store_splice (self->questions, 0, g_list_model_get_n_items (G_LIST_MODEL (self->questions)),
                       items->pdata, items->len);
}

static void
update_content_stack (DlgAssessmentPage *self)
{
  GListModel *model = gtk_slice_list_model_get_model (self->first_rows);

  if (self->search != NULL)
    gtk_stack_set_visible_child_name (self->content_stack,
                                      g_list_model_get_n_items (model) > 0 ? "questions" : "no-results");
  else if (self->current == RESULTS)
    gtk_stack_set_visible_child_name (self->content_stack, "results");
  else if (self->current == ACTIONS)
    gtk_stack_set_visible_child_name (self->content_stack, "actions");
  else if (self->current == PROGRESS)
    gtk_stack_set_visible_child_name (self->content_stack, "progress");
  else
    gtk_stack_set_visible_child_name (self->content_stack, "questions");

  /* Where answers are shown, say why they cannot be changed. */
  gtk_revealer_set_reveal_child (self->signed_revealer,
                                 self->read_only && (self->search != NULL || self->current >= 0));
  update_confirm_bar (self);
}

static void
show_current (DlgAssessmentPage *self)
{
  DlgQuestionnaire *q = questionnaire (self);

  if (self->current == RESULTS)
    {
      adw_window_title_set_title (self->content_title, _("Results"));
      adw_window_title_set_subtitle (self->content_title,
                                     self->quick_scan ? _("Quick scan") : _("Full questionnaire"));
      update_results (self);
    }
  else if (self->current == ACTIONS)
    {
      adw_window_title_set_title (self->content_title, _("Action Plan"));
      adw_window_title_set_subtitle (self->content_title,
                                     self->plan ? dlg_review_state_get_label (dlg_action_plan_get_review_state (self->plan)) : NULL);
      dlg_action_plan_page_update (self->action_plan_page);
    }
  else if (self->current == PROGRESS)
    {
      adw_window_title_set_title (self->content_title, _("Progress"));
      adw_window_title_set_subtitle (self->content_title,
                                     self->quick_scan ? _("Quick scan") : _("Full questionnaire"));
      g_signal_emit (self, signals[PROGRESS_REQUESTED], 0);
    }
  else
    {
      DlgSection *section = dlg_questionnaire_get_section (q, self->current);

      adw_window_title_set_title (self->content_title, dlg_text_get (section->title, self->language));
      adw_window_title_set_subtitle (self->content_title, dlg_text_get (section->description, self->language));
      fill_questions (self);
      gtk_widget_activate_action (GTK_WIDGET (self->question_list), "list.scroll-to-item", "u", 0);
    }

  update_content_stack (self);
}

static void
select_sidebar_row (DlgAssessmentPage *self)
{
  GtkListBoxRow *row;

  if (self->current < 0)
    row = gtk_list_box_get_row_at_index (self->section_list, -self->current - 1);
  else
    row = g_ptr_array_index (self->section_rows, self->current);

  if (gtk_list_box_get_selected_row (self->section_list) != row)
    gtk_list_box_select_row (self->section_list, row);
}

static void
section_selected_cb (DlgAssessmentPage *self,
                     GtkListBoxRow     *row)
{
  int index;

  if (row == NULL)
    return;

  index = dlg_section_row_get_index (DLG_SECTION_ROW (row));
  if (index == self->current && self->search == NULL)
    return;

  self->current = index;
  if (self->search != NULL)
    gtk_toggle_button_set_active (self->search_button, FALSE);
  show_current (self);
}

static void
section_activated_cb (DlgAssessmentPage *self,
                      GtkListBoxRow     *row)
{
  /* On a narrow window, choosing a section shows it. */
  adw_leaflet_set_visible_child (self->leaflet, self->content);
}

static void
show_sidebar_cb (DlgAssessmentPage *self)
{
  adw_leaflet_set_visible_child (self->leaflet, self->sidebar);
}

static void
search_mode_cb (DlgAssessmentPage *self)
{
  if (!gtk_search_bar_get_search_mode (self->search_bar))
    {
      g_clear_pointer (&self->search, g_free);
      if (self->current >= 0)
        fill_questions (self);
      update_content_stack (self);
    }
  else
    gtk_widget_grab_focus (GTK_WIDGET (self->search_entry));
}

static void
search_changed_cb (DlgAssessmentPage *self)
{
  const char *text = gtk_editable_get_text (GTK_EDITABLE (self->search_entry));

  g_clear_pointer (&self->search, g_free);
  if (text != NULL && *text != '\0')
    self->search = g_utf8_casefold (text, -1);

  adw_window_title_set_title (self->content_title, self->search ? _("Search") : "");
  fill_questions (self);
  gtk_filter_changed (GTK_FILTER (self->filter), GTK_FILTER_CHANGE_DIFFERENT);
  update_content_stack (self);
  if (self->search == NULL)
    show_current (self);
}

typedef struct
{
  DlgAssessmentPage *self;
  const DlgQuestion *question;
} FocusData;

static gboolean
focus_question_idle (gpointer user_data)
{
  FocusData *data = user_data;

  for (guint i = 0; i < data->self->bound_rows->len; i++)
    {
      DlgQuestionRow *row = g_ptr_array_index (data->self->bound_rows, i);

      if (dlg_question_row_get_question (row) == data->question)
        {
          dlg_question_row_focus_answer (row);
          break;
        }
    }

  g_object_unref (data->self);
  g_free (data);
  return G_SOURCE_REMOVE;
}

/**
 * dlg_assessment_page_show_question:
 *
 * Shows @question's section, scrolls to it and moves the focus to its
 * answer, leaving any search.
 */
void
dlg_assessment_page_show_question (DlgAssessmentPage *self,
                                   const DlgQuestion *question)
{
  GListModel *model;
  FocusData *data;

  g_return_if_fail (DLG_IS_ASSESSMENT_PAGE (self));

  if (self->search != NULL)
    gtk_toggle_button_set_active (self->search_button, FALSE);

  self->current = question->section->index;
  select_sidebar_row (self);
  show_current (self);
  adw_leaflet_set_visible_child (self->leaflet, self->content);

  show_all_rows (self);
  model = G_LIST_MODEL (gtk_grid_view_get_model (self->question_list));
  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr(DlgQuestionObject) item = g_list_model_get_item (model, i);

      if (dlg_question_object_get_question (item) == question)
        {
          gtk_widget_activate_action (GTK_WIDGET (self->question_list), "list.scroll-to-item", "u", i);
          break;
        }
    }

  /* The row exists once the list has laid itself out. */
  data = g_new0 (FocusData, 1);
  data->self = g_object_ref (self);
  data->question = question;
  g_timeout_add (50, focus_question_idle, data);
}

static void
next_unanswered_action (GtkWidget  *widget,
                        const char *action_name,
                        GVariant   *parameter)
{
  DlgAssessmentPage *self = DLG_ASSESSMENT_PAGE (widget);
  DlgQuestionnaire *q = questionnaire (self);
  guint n = dlg_questionnaire_get_n_questions (q);
  guint start = 0;

  /* Start after the current section's first question, wrap around. */
  if (self->current >= 0)
    start = ((DlgQuestion *) g_ptr_array_index (dlg_questionnaire_get_section (q, self->current)->questions, 0))->index;

  for (guint k = 0; k < n; k++)
    {
      guint i = (start + k) % n;
      const DlgQuestion *question = dlg_questionnaire_get_question (q, i);
      const DlgQuestionResult *r = &self->evaluation->questions[i];

      if (r->visible && question->required && !r->answered)
        {
          dlg_assessment_page_show_question (self, question);
          return;
        }
    }

  self->current = RESULTS;
  select_sidebar_row (self);
  show_current (self);
}

static void
move_section (DlgAssessmentPage *self,
              int                direction)
{
  int n = dlg_questionnaire_get_n_sections (questionnaire (self));
  int i = MAX (self->current, RESULTS);

  for (;;)
    {
      i += direction;
      if (i < RESULTS || i >= n)
        return;
      if (i == RESULTS || self->evaluation->sections[i].visible)
        break;
    }

  self->current = i;
  select_sidebar_row (self);
  show_current (self);
}

static void
next_section_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  move_section (DLG_ASSESSMENT_PAGE (widget), 1);
}

static void
previous_section_action (GtkWidget  *widget,
                         const char *action_name,
                         GVariant   *parameter)
{
  move_section (DLG_ASSESSMENT_PAGE (widget), -1);
}

static void
search_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  DlgAssessmentPage *self = DLG_ASSESSMENT_PAGE (widget);

  gtk_toggle_button_set_active (self->search_button, TRUE);
  gtk_widget_grab_focus (GTK_WIDGET (self->search_entry));
}

static void
heat_map_section_cb (DlgAssessmentPage *self,
                     guint              index)
{
  self->current = index;
  select_sidebar_row (self);
  show_current (self);
}

static void
finding_activated_cb (DlgAssessmentPage *self,
                      GtkListBoxRow     *row)
{
  const DlgQuestion *question = g_object_get_data (G_OBJECT (row), "question");

  if (question != NULL)
    dlg_assessment_page_show_question (self, question);
}

static void
row_attach_cb (DlgQuestionRow    *row,
               const char        *question_id,
               DlgAssessmentPage *self)
{
  g_signal_emit (self, signals[ATTACH_EVIDENCE], 0, question_id);
}

static void
row_open_cb (DlgQuestionRow    *row,
             const char        *question_id,
             const char        *sha256,
             DlgAssessmentPage *self)
{
  g_signal_emit (self, signals[OPEN_EVIDENCE], 0, question_id, sha256);
}

static void
row_remove_cb (DlgQuestionRow    *row,
               const char        *question_id,
               const char        *sha256,
               DlgAssessmentPage *self)
{
  g_signal_emit (self, signals[REMOVE_EVIDENCE], 0, question_id, sha256);
}

static void
row_confirm_cb (DlgQuestionRow    *row,
                const char        *question_id,
                DlgAssessmentPage *self)
{
  const char *ids[] = { question_id, NULL };

  g_signal_emit (self, signals[CONFIRM_ANSWERS], 0, ids);
}

static void
confirm_section_action (GtkWidget  *widget,
                        const char *action_name,
                        GVariant   *parameter)
{
  DlgAssessmentPage *self = DLG_ASSESSMENT_PAGE (widget);
  g_autoptr(GPtrArray) ids = g_ptr_array_new ();
  DlgSection *section;

  if (self->current < 0 || self->unconfirmed == NULL)
    return;

  section = dlg_questionnaire_get_section (questionnaire (self), self->current);
  for (guint i = 0; i < section->questions->len; i++)
    {
      DlgQuestion *q = g_ptr_array_index (section->questions, i);

      if (g_hash_table_contains (self->unconfirmed, q->id))
        g_ptr_array_add (ids, (gpointer) q->id);
    }
  g_ptr_array_add (ids, NULL);

  if (ids->len > 1)
    g_signal_emit (self, signals[CONFIRM_ANSWERS], 0, ids->pdata);
}

static void
plan_attach_cb (DlgAssessmentPage *self,
                const char        *action_id)
{
  g_signal_emit (self, signals[ATTACH_ACTION_EVIDENCE], 0, action_id);
}

static void
plan_open_cb (DlgAssessmentPage *self,
              const char        *action_id,
              const char        *sha256)
{
  g_signal_emit (self, signals[OPEN_ACTION_EVIDENCE], 0, action_id, sha256);
}

static void
plan_show_finding_cb (DlgAssessmentPage *self,
                      const char        *question_id)
{
  DlgQuestion *question = dlg_questionnaire_lookup_question (questionnaire (self), question_id);

  if (question != NULL && self->evaluation->questions[question->index].visible)
    dlg_assessment_page_show_question (self, question);
}

static void
plan_changed_cb (DlgAssessmentPage *self)
{
  update_actions_row (self);
  if (self->current == ACTIONS)
    adw_window_title_set_subtitle (self->content_title,
                                   dlg_review_state_get_label (dlg_action_plan_get_review_state (self->plan)));
}

static void
setup_cb (GtkSignalListItemFactory *factory,
          GtkListItem              *item,
          DlgAssessmentPage        *self)
{
  GtkWidget *row = dlg_question_row_new ();

  gtk_widget_set_margin_start (row, 12);
  gtk_widget_set_margin_end (row, 12);
  g_signal_connect (row, "attach-evidence", G_CALLBACK (row_attach_cb), self);
  g_signal_connect (row, "open-evidence", G_CALLBACK (row_open_cb), self);
  g_signal_connect (row, "remove-evidence", G_CALLBACK (row_remove_cb), self);
  g_signal_connect (row, "confirm", G_CALLBACK (row_confirm_cb), self);
  gtk_list_item_set_child (item, row);
  gtk_list_item_set_activatable (item, FALSE);
  gtk_list_item_set_selectable (item, FALSE);
}

static void
bind_cb (GtkSignalListItemFactory *factory,
         GtkListItem              *item,
         DlgAssessmentPage        *self)
{
  DlgQuestionRow *row = DLG_QUESTION_ROW (gtk_list_item_get_child (item));
  DlgQuestionObject *object = gtk_list_item_get_item (item);
  const DlgQuestion *question = dlg_question_object_get_question (object);

  dlg_question_row_bind (row, self->assessment, question, self->language,
                         dlg_question_object_get_number (object));
  dlg_question_row_update_result (row, &self->evaluation->questions[question->index]);
  dlg_question_row_set_to_confirm (row, self->unconfirmed != NULL && g_hash_table_contains (self->unconfirmed, question->id));
  dlg_question_row_set_read_only (row, self->read_only);
  g_ptr_array_add (self->bound_rows, row);
}

static void
unbind_cb (GtkSignalListItemFactory *factory,
           GtkListItem              *item,
           DlgAssessmentPage        *self)
{
  DlgQuestionRow *row = DLG_QUESTION_ROW (gtk_list_item_get_child (item));

  dlg_question_row_unbind (row);
  g_ptr_array_remove_fast (self->bound_rows, row);
}

static void
dlg_assessment_page_dispose (GObject *object)
{
  GtkWidget *child;
  DlgAssessmentPage *self = (DlgAssessmentPage *)object;

  if (self->assessment != NULL)
    g_signal_handlers_disconnect_by_func (self->assessment, assessment_changed_cb, self);
  if (self->plan != NULL)
    g_signal_handlers_disconnect_by_func (self->plan, plan_changed_cb, self);
  g_clear_object (&self->plan);
  g_clear_pointer (&self->unconfirmed, g_hash_table_unref);

  stop_growing (self);
  gtk_widget_dispose_template (GTK_WIDGET (self), DLG_TYPE_ASSESSMENT_PAGE);
  /* The template's top-level children are not all bound; unparent them all. */
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))))
    gtk_widget_unparent (child);

  g_clear_object (&self->assessment);
  g_clear_object (&self->questions);
  g_clear_object (&self->filter);
  g_clear_object (&self->first_rows);
  g_clear_pointer (&self->evaluation, dlg_evaluation_unref);

  G_OBJECT_CLASS (dlg_assessment_page_parent_class)->dispose (object);
}

static void
dlg_assessment_page_finalize (GObject *object)
{
  DlgAssessmentPage *self = (DlgAssessmentPage *)object;

  g_clear_pointer (&self->bound_rows, g_ptr_array_unref);
  g_clear_pointer (&self->section_rows, g_ptr_array_unref);
  g_clear_pointer (&self->language, g_free);
  g_clear_pointer (&self->search, g_free);
  g_clear_pointer (&self->visible, g_free);

  G_OBJECT_CLASS (dlg_assessment_page_parent_class)->finalize (object);
}

static void
dlg_assessment_page_class_init (DlgAssessmentPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = dlg_assessment_page_dispose;
  object_class->finalize = dlg_assessment_page_finalize;

  signals[ATTACH_EVIDENCE] =
    g_signal_new ("attach-evidence", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);
  signals[OPEN_EVIDENCE] =
    g_signal_new ("open-evidence", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 2, G_TYPE_STRING, G_TYPE_STRING);
  signals[REMOVE_EVIDENCE] =
    g_signal_new ("remove-evidence", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 2, G_TYPE_STRING, G_TYPE_STRING);
  /**
   * DlgAssessmentPage::confirm-answers:
   * @question_ids: (array zero-terminated=1): carried-over answers the user
   *   confirmed as they are
   */
  signals[CONFIRM_ANSWERS] =
    g_signal_new ("confirm-answers", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRV);
  signals[ATTACH_ACTION_EVIDENCE] =
    g_signal_new ("attach-action-evidence", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);
  signals[OPEN_ACTION_EVIDENCE] =
    g_signal_new ("open-action-evidence", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 2, G_TYPE_STRING, G_TYPE_STRING);
  /**
   * DlgAssessmentPage::progress-requested:
   *
   * The progress page is shown: the window gives it every period with
   * dlg_assessment_page_set_periods().
   */
  signals[PROGRESS_REQUESTED] =
    g_signal_new ("progress-requested", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 0);

  g_type_ensure (DLG_TYPE_LEVEL_BADGE);
  g_type_ensure (DLG_TYPE_HEAT_MAP);
  g_type_ensure (DLG_TYPE_HEIGHT_FOR_WIDTH_BIN);
  g_type_ensure (DLG_TYPE_ACTION_PLAN_PAGE);
  g_type_ensure (DLG_TYPE_PROGRESS_PAGE);

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_BASE "/dlg-assessment-page.ui");
  gtk_widget_class_bind_template_child (widget_class, DlgAssessmentPage, leaflet);
  gtk_widget_class_bind_template_child (widget_class, DlgAssessmentPage, sidebar);
  gtk_widget_class_bind_template_child (widget_class, DlgAssessmentPage, content);
  gtk_widget_class_bind_template_child (widget_class, DlgAssessmentPage, sidebar_title);
  gtk_widget_class_bind_template_child (widget_class, DlgAssessmentPage, section_list);
  gtk_widget_class_bind_template_child (widget_class, DlgAssessmentPage, content_title);
  gtk_widget_class_bind_template_child (widget_class, DlgAssessmentPage, search_button);
  gtk_widget_class_bind_template_child (widget_class, DlgAssessmentPage, search_bar);
  gtk_widget_class_bind_template_child (widget_class, DlgAssessmentPage, search_entry);
  gtk_widget_class_bind_template_child (widget_class, DlgAssessmentPage, progress_bar);
  gtk_widget_class_bind_template_child (widget_class, DlgAssessmentPage, content_stack);
  gtk_widget_class_bind_template_child (widget_class, DlgAssessmentPage, question_list);
  gtk_widget_class_bind_template_child (widget_class, DlgAssessmentPage, score_label);
  gtk_widget_class_bind_template_child (widget_class, DlgAssessmentPage, overall_badge);
  gtk_widget_class_bind_template_child (widget_class, DlgAssessmentPage, overall_detail);
  gtk_widget_class_bind_template_child (widget_class, DlgAssessmentPage, critical_label);
  gtk_widget_class_bind_template_child (widget_class, DlgAssessmentPage, heat_map);
  gtk_widget_class_bind_template_child (widget_class, DlgAssessmentPage, comparison_label);
  gtk_widget_class_bind_template_child (widget_class, DlgAssessmentPage, findings_list);
  gtk_widget_class_bind_template_child (widget_class, DlgAssessmentPage, action_plan_page);
  gtk_widget_class_bind_template_child (widget_class, DlgAssessmentPage, progress_page);
  gtk_widget_class_bind_template_child (widget_class, DlgAssessmentPage, confirm_revealer);
  gtk_widget_class_bind_template_child (widget_class, DlgAssessmentPage, confirm_label);
  gtk_widget_class_bind_template_child (widget_class, DlgAssessmentPage, signed_revealer);
  gtk_widget_class_bind_template_child (widget_class, DlgAssessmentPage, report_icon);
  gtk_widget_class_bind_template_child (widget_class, DlgAssessmentPage, report_title);
  gtk_widget_class_bind_template_child (widget_class, DlgAssessmentPage, report_label);
  gtk_widget_class_bind_template_child (widget_class, DlgAssessmentPage, sign_button);
  gtk_widget_class_bind_template_child (widget_class, DlgAssessmentPage, show_report_button);
  gtk_widget_class_bind_template_child (widget_class, DlgAssessmentPage, correct_button);
  gtk_widget_class_bind_template_callback (widget_class, section_selected_cb);
  gtk_widget_class_bind_template_callback (widget_class, section_activated_cb);
  gtk_widget_class_bind_template_callback (widget_class, show_sidebar_cb);
  gtk_widget_class_bind_template_callback (widget_class, search_mode_cb);
  gtk_widget_class_bind_template_callback (widget_class, search_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, heat_map_section_cb);
  gtk_widget_class_bind_template_callback (widget_class, finding_activated_cb);
  gtk_widget_class_bind_template_callback (widget_class, plan_attach_cb);
  gtk_widget_class_bind_template_callback (widget_class, plan_open_cb);
  gtk_widget_class_bind_template_callback (widget_class, plan_show_finding_cb);

  /* Keyboard shortcuts live next to the actions they trigger. */
  gtk_widget_class_install_action (widget_class, "page.search", NULL, search_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_f, GDK_CONTROL_MASK, "page.search", NULL);
  gtk_widget_class_install_action (widget_class, "page.next-section", NULL, next_section_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Down, GDK_CONTROL_MASK, "page.next-section", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Page_Down, GDK_CONTROL_MASK, "page.next-section", NULL);
  gtk_widget_class_install_action (widget_class, "page.previous-section", NULL, previous_section_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Up, GDK_CONTROL_MASK, "page.previous-section", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Page_Up, GDK_CONTROL_MASK, "page.previous-section", NULL);
  gtk_widget_class_install_action (widget_class, "page.next-unanswered", NULL, next_unanswered_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_j, GDK_CONTROL_MASK, "page.next-unanswered", NULL);
  gtk_widget_class_install_action (widget_class, "page.confirm-section", NULL, confirm_section_action);
}

static void
dlg_assessment_page_init (DlgAssessmentPage *self)
{
  GtkListItemFactory *factory;
  GtkFilterListModel *filtered;

  gtk_widget_init_template (GTK_WIDGET (self));

  self->bound_rows = g_ptr_array_new ();
  self->section_rows = g_ptr_array_new ();
  self->questions = g_list_store_new (DLG_TYPE_QUESTION_OBJECT);
  self->filter = gtk_custom_filter_new (filter_func, self, NULL);
  self->current = RESULTS;

  factory = gtk_signal_list_item_factory_new ();
  g_signal_connect (factory, "setup", G_CALLBACK (setup_cb), self);
  g_signal_connect (factory, "bind", G_CALLBACK (bind_cb), self);
  g_signal_connect (factory, "unbind", G_CALLBACK (unbind_cb), self);
  gtk_grid_view_set_factory (self->question_list, factory);
  g_object_unref (factory);

  filtered = gtk_filter_list_model_new (G_LIST_MODEL (g_object_ref (self->questions)),
                                        GTK_FILTER (g_object_ref (self->filter)));
  self->first_rows = gtk_slice_list_model_new (G_LIST_MODEL (filtered), 0, G_MAXUINT);
  gtk_grid_view_set_model (self->question_list,
                           GTK_SELECTION_MODEL (gtk_no_selection_new (G_LIST_MODEL (g_object_ref (self->first_rows)))));

  gtk_search_bar_set_key_capture_widget (self->search_bar, NULL);
}

GtkWidget *
dlg_assessment_page_new (void)
{
  return g_object_new (DLG_TYPE_ASSESSMENT_PAGE, NULL);
}

static GtkWidget *
create_section_row (DlgAssessmentPage *self,
                    const char        *title,
                    int                index,
                    const char        *icon_name)
{
  GtkWidget *row = dlg_section_row_new (title, index);

  if (icon_name != NULL)
    {
      /* The dashboard, plan and progress pages have no level of their own. */
      dlg_section_row_set_icon_name (DLG_SECTION_ROW (row), icon_name);
      gtk_widget_set_visible (GTK_WIDGET (dlg_section_row_get_badge (DLG_SECTION_ROW (row))), FALSE);
    }
  gtk_list_box_append (self->section_list, row);
  return row;
}

/**
 * dlg_assessment_page_set_assessment:
 * @assessment: the answers to show and edit
 * @quick_scan: show only the quick-scan questions
 * @title: the assessment's title, for the sidebar
 */
void
dlg_assessment_page_set_assessment (DlgAssessmentPage *self,
                                    DlgAssessment     *assessment,
                                    gboolean           quick_scan,
                                    const char        *title)
{
  DlgQuestionnaire *q;
  GtkWidget *child;

  g_return_if_fail (DLG_IS_ASSESSMENT_PAGE (self));
  g_return_if_fail (DLG_IS_ASSESSMENT (assessment));

  /* A new assessment starts without the last one's plan and marks, and
   * editable until the window says it was signed. */
  self->read_only = FALSE;
  dlg_assessment_page_set_signed (self, NULL);
  if (self->plan != NULL)
    g_signal_handlers_disconnect_by_func (self->plan, plan_changed_cb, self);
  g_clear_object (&self->plan);
  g_clear_pointer (&self->unconfirmed, g_hash_table_unref);
  dlg_action_plan_page_set_plan (self->action_plan_page, NULL, NULL, NULL);

  if (self->assessment != NULL)
    g_signal_handlers_disconnect_by_func (self->assessment, assessment_changed_cb, self);
  g_set_object (&self->assessment, assessment);
  g_signal_connect_swapped (assessment, "changed", G_CALLBACK (assessment_changed_cb), self);

  q = dlg_assessment_get_questionnaire (assessment);
  self->quick_scan = quick_scan;
  g_free (self->language);
  self->language = g_strdup (dlg_language_pick (dlg_questionnaire_get_languages (q)));
  g_free (self->visible);
  self->visible = g_new0 (guint8, MAX (dlg_questionnaire_get_n_questions (q), 1));

  adw_window_title_set_title (self->sidebar_title, title);

  g_ptr_array_set_size (self->section_rows, 0);
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->section_list))))
    gtk_list_box_remove (self->section_list, child);

  create_section_row (self, _("Results"), RESULTS, "view-grid-symbolic");
  self->actions_row = create_section_row (self, _("Action Plan"), ACTIONS, "checkbox-checked-symbolic");
  create_section_row (self, _("Progress"), PROGRESS, "view-continuous-symbolic");
  for (guint i = 0; i < dlg_questionnaire_get_n_sections (q); i++)
    g_ptr_array_add (self->section_rows,
                     create_section_row (self, dlg_text_get (dlg_questionnaire_get_section (q, i)->title, self->language), i, NULL));

  refresh (self);

  /* Start where the work is: the first section with something to answer. */
  self->current = RESULTS;
  for (guint i = 0; i < self->evaluation->n_sections; i++)
    if (self->evaluation->sections[i].visible && !self->evaluation->sections[i].complete)
      {
        self->current = i;
        break;
      }
  select_sidebar_row (self);
  show_current (self);
}

DlgAssessment *
dlg_assessment_page_get_assessment (DlgAssessmentPage *self)
{
  g_return_val_if_fail (DLG_IS_ASSESSMENT_PAGE (self), NULL);
  return self->assessment;
}

/**
 * dlg_assessment_page_get_evaluation:
 *
 * Returns: (transfer none) (nullable): the evaluation shown
 */
DlgEvaluation *
dlg_assessment_page_get_evaluation (DlgAssessmentPage *self)
{
  g_return_val_if_fail (DLG_IS_ASSESSMENT_PAGE (self), NULL);
  return self->evaluation;
}

/**
 * dlg_assessment_page_set_action_plan:
 * @plan: (nullable): the assessment's plan
 *
 * Shows the plan, and keeps its proposals in step with the answers.
 */
void
dlg_assessment_page_set_action_plan (DlgAssessmentPage *self,
                                     DlgActionPlan     *plan)
{
  g_return_if_fail (DLG_IS_ASSESSMENT_PAGE (self));
  g_return_if_fail (self->assessment != NULL);

  if (self->plan != NULL)
    g_signal_handlers_disconnect_by_func (self->plan, plan_changed_cb, self);
  g_set_object (&self->plan, plan);
  if (plan != NULL)
    g_signal_connect_swapped (plan, "changed", G_CALLBACK (plan_changed_cb), self);

  dlg_action_plan_page_set_plan (self->action_plan_page, plan, questionnaire (self), self->language);
  refresh (self);
}

/**
 * dlg_assessment_page_get_action_plan_page:
 *
 * Returns: (transfer none): the action plan's page
 */
DlgActionPlanPage *
dlg_assessment_page_get_action_plan_page (DlgAssessmentPage *self)
{
  g_return_val_if_fail (DLG_IS_ASSESSMENT_PAGE (self), NULL);
  return self->action_plan_page;
}

/**
 * dlg_assessment_page_set_unconfirmed:
 * @question_ids: (nullable) (element-type utf8 utf8): the set of answers
 *   carried over and still to confirm
 */
void
dlg_assessment_page_set_unconfirmed (DlgAssessmentPage *self,
                                     GHashTable        *question_ids)
{
  g_return_if_fail (DLG_IS_ASSESSMENT_PAGE (self));

  g_clear_pointer (&self->unconfirmed, g_hash_table_unref);
  if (question_ids != NULL)
    self->unconfirmed = g_hash_table_ref (question_ids);
  if (self->assessment != NULL)
    refresh (self);
}

/**
 * dlg_assessment_page_mark_confirmed:
 * @question_ids: %NULL-terminated
 *
 * Takes the "to confirm" mark off answers the store has confirmed.
 */
void
dlg_assessment_page_mark_confirmed (DlgAssessmentPage  *self,
                                    const char * const *question_ids)
{
  g_return_if_fail (DLG_IS_ASSESSMENT_PAGE (self));

  for (guint i = 0; self->unconfirmed && question_ids && question_ids[i]; i++)
    g_hash_table_remove (self->unconfirmed, question_ids[i]);
  refresh (self);
}

/**
 * dlg_assessment_page_is_unconfirmed:
 *
 * Returns: whether @question_id's answer is still to confirm
 */
gboolean
dlg_assessment_page_is_unconfirmed (DlgAssessmentPage *self,
                                    const char        *question_id)
{
  g_return_val_if_fail (DLG_IS_ASSESSMENT_PAGE (self), FALSE);
  return self->unconfirmed != NULL && g_hash_table_contains (self->unconfirmed, question_id);
}

/**
 * dlg_assessment_page_set_periods:
 * @periods: (element-type DlgPeriodSummary): every period, oldest first
 * @current_id: the assessment shown
 */
void
dlg_assessment_page_set_periods (DlgAssessmentPage *self,
                                 GPtrArray         *periods,
                                 const char        *current_id)
{
  g_return_if_fail (DLG_IS_ASSESSMENT_PAGE (self));
  dlg_progress_page_set_periods (self->progress_page, periods, current_id);
}

/**
 * dlg_assessment_page_show_page:
 * @name: "results", "actions" or "progress"
 *
 * Shows one of the pages above the sections.
 */
void
dlg_assessment_page_show_page (DlgAssessmentPage *self,
                               const char        *name)
{
  g_return_if_fail (DLG_IS_ASSESSMENT_PAGE (self));

  if (g_strcmp0 (name, "actions") == 0)
    self->current = ACTIONS;
  else if (g_strcmp0 (name, "progress") == 0)
    self->current = PROGRESS;
  else
    self->current = RESULTS;

  if (self->search != NULL)
    gtk_toggle_button_set_active (self->search_button, FALSE);
  select_sidebar_row (self);
  show_current (self);
  adw_leaflet_set_visible_child (self->leaflet, self->content);
}

/**
 * dlg_assessment_page_get_visible_page:
 *
 * Returns: the name of the content shown: "questions", "results",
 *   "actions", "progress" or "no-results"
 */
const char *
dlg_assessment_page_get_visible_page (DlgAssessmentPage *self)
{
  g_return_val_if_fail (DLG_IS_ASSESSMENT_PAGE (self), NULL);
  return gtk_stack_get_visible_child_name (self->content_stack);
}

/**
 * dlg_assessment_page_set_signed:
 * @note: (nullable): what to say about the signed report, e.g. when it was
 *   signed; %NULL while the assessment is not signed
 *
 * A signed assessment is shown read-only: its answers went into a report
 * that cannot change. The results offer the report, and a correction.
 */
void
dlg_assessment_page_set_signed (DlgAssessmentPage *self,
                                const char        *note)
{
  gboolean is_signed = note != NULL;

  g_return_if_fail (DLG_IS_ASSESSMENT_PAGE (self));

  self->read_only = is_signed;
  for (guint i = 0; i < self->bound_rows->len; i++)
    dlg_question_row_set_read_only (g_ptr_array_index (self->bound_rows, i), is_signed);
  update_confirm_bar (self);
  update_content_stack (self);

  gtk_image_set_from_icon_name (self->report_icon, is_signed ? "security-high-symbolic" : "document-send-symbolic");
  gtk_label_set_label (self->report_title, is_signed ? _("Signed and Released") : _("Report"));
  gtk_label_set_label (self->report_label,
                       is_signed ? note
                                 : _("When the answers are final, sign and release the report for your buyer. "
                                     "It is then frozen: a correction is a new report."));
  gtk_widget_set_visible (self->sign_button, !is_signed);
  gtk_widget_set_visible (self->show_report_button, is_signed);
  gtk_widget_set_visible (self->correct_button, is_signed);
}

/**
 * dlg_assessment_page_get_read_only:
 *
 * Returns: whether the answers are shown without letting them change
 */
gboolean
dlg_assessment_page_get_read_only (DlgAssessmentPage *self)
{
  g_return_val_if_fail (DLG_IS_ASSESSMENT_PAGE (self), FALSE);
  return self->read_only;
}
