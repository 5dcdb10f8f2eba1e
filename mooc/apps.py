from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MoocConfig(AppConfig):
    name = "mooc"
    verbose_name = _("MOOC")

    def ready(self) -> None:
        from mooc import dashboard, services, views
        from mooc.models import Lesson
        from portal import links, personal_data, rich_text

        rich_text.register_stored_html(Lesson, "body", "transcript")
        from mooc.models import Choice, Course, CourseRun, Module, Question, Quiz
        from portal import page_cache
        from portal.models import Partner

        page_cache.changes_with(views.CATALOGUE, Course, Partner, m2m=[Course.partners.through])
        # the course page keeps its runs' dates too (whether one is open is worked out per request),
        # the lesson pages their run's outline and quizzes (what each learner did is read per request)
        page_cache.changes_with(views.COURSE, Course, CourseRun, Module, Lesson, Quiz, Question, Choice, Partner,
                                m2m=[Course.partners.through])
        from portal.dashboard import register_home_block, register_section, register_todo
        from portal.notifications.kinds import NotificationKind, register_kind

        register_kind(NotificationKind(code="mooc.enrollment_confirmed", label=_("MOOC: enrollment confirmed"),
                                       template="mooc/emails/enrollment_confirmed"))
        register_kind(NotificationKind(code="mooc.run_starts", label=_("MOOC: your course starts"),
                                       template="mooc/emails/run_starts"))
        register_kind(NotificationKind(code="mooc.certificate_issued", label=_("MOOC: certificate issued"),
                                       template="mooc/emails/certificate_issued"))
        register_kind(NotificationKind(code="mooc.inactivity_reminder", label=_("MOOC: reminders when I have not followed a course for a while"),
                                       optional=True, template="mooc/emails/inactivity_reminder"))
        personal_data.register("mooc", export=services.learner_data_export, erase=services.learner_data_erase, order=40)
        personal_data.describe(
            "mooc", position=20, title=_("The Université du numérique MOOC"),
            holds=_("Your enrollments, your progress, your quiz answers and scores, and your certificates (name as issued, grade)."),
            purpose=_("To follow your progress and to issue certificates that anyone can verify."),
            retention=_("As long as your account exists. When it is deleted, your certificates are revoked: their "
                        "verification page still answers (course, date, revoked) without your name, and their digital "
                        "credentials show as revoked."),
        )
        register_section("mooc", title=_("My courses"), template="mooc/_me_section.html", context=dashboard.me_context, order=30)
        register_todo("mooc", items=dashboard.todo_items, order=30)
        register_home_block("mooc", template="mooc/_home_block.html", context=dashboard.home_context, order=30,
                            cached_in=(views.CATALOGUE,))
        links.register_resolver("mooc.course", views.course_link)
        links.register_resolver("mooc.module", views.module_link)
