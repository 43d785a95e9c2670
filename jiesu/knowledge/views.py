"""The open knowledge base for citizens (anonymous) and its maintenance in the console. Thin views:
selectors read, services write."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from jiesu.core import roles
from jiesu.directory.models import Unit

from . import selectors, services
from .forms import ArticleForm, DecisionForm
from .models import CATEGORIES, Article, ArticleVersion

PAGE = 20


def _page(request, items):
    return Paginator(items, PAGE).get_page(request.GET.get("page"))


# Public pages (no login) -----------------------------------------------------------------------


def public_index(request):
    query = request.GET.get("q", "").strip()[: selectors.MAX_QUERY]
    category = request.GET.get("category", "")
    if category not in dict(CATEGORIES):
        category = ""
    hits = selectors.search(query, category=category)
    return render(
        request,
        "knowledge/public_index.html",
        {
            "q": query,
            "category": category,
            "categories": CATEGORIES,
            "page": _page(request, hits),
            "count": len(hits),
            "words": selectors.query_words(query) if query else [],
        },
    )


def public_article(request, slug: str):
    article = get_object_or_404(selectors.public_articles(), slug=slug)
    return render(request, "knowledge/public_article.html", {"article": article})


# Console ------------------------------------------------------------------------------------


def _editor(user):
    if not services.can_edit(user):
        raise PermissionDenied("知识库维护只对承办单位管理员和政务服务局管理员开放。")


@login_required
def manage(request):
    _editor(request.user)
    query = request.GET.get("q", "").strip()[:100]
    articles = selectors.editable_articles(request.user)
    if query:
        articles = articles.filter(search_text__contains=services.normalise(query))
    return render(
        request,
        "knowledge/manage.html",
        {
            "page": _page(request, articles),
            "q": query,
            "count": articles.count(),
            "pending": selectors.pending_versions(request.user).count(),
            "due": selectors.due_for_review(request.user).count(),
            "is_bureau": services.is_bureau(request.user),
        },
    )


def _owner_for(request) -> Unit | None:
    code = request.POST.get("owner_unit", "").strip()
    if services.is_bureau(request.user) and code:
        return Unit.objects.filter(code=code).first()
    return None


@login_required
def edit(request, slug: str | None = None):
    _editor(request.user)
    article = get_object_or_404(Article, slug=slug) if slug else None
    if article is not None and not services.can_edit(request.user, article):
        raise PermissionDenied("只能编辑本单位维护的知识库条目。")
    form = ArticleForm(request.POST or None, initial=ArticleForm.initial_for(article) if article else None)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        note = data.pop("note", "")
        try:
            version = services.propose(request.user, data, article=article, owner_unit=_owner_for(request), note=note)
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            if version.status == ArticleVersion.PENDING:
                messages.success(request, f"修改已提交（第{version.number}版），政务服务局审核通过后生效。")
            else:
                messages.success(request, f"已保存，第{version.number}版已生效。")
            return redirect("knowledge_console:history", slug=version.article.slug)
    return render(
        request,
        "knowledge/edit.html",
        {
            "form": form,
            "article": article,
            "needs_approval": services.needs_approval(request.user),
            "is_bureau": services.is_bureau(request.user),
        },
        status=400 if form.errors else 200,
    )


@login_required
def history(request, slug: str):
    article = get_object_or_404(Article.objects.select_related("owner_unit"), slug=slug)
    if not services.can_edit(request.user, article):
        raise Http404("条目不存在或无权查看")
    versions = article.versions.select_related("edited_by", "decided_by")
    return render(
        request,
        "knowledge/history.html",
        {"article": article, "page": _page(request, versions), "count": versions.count()},
    )


@login_required
def review_due(request):
    user = request.user
    if not (services.is_bureau(user) or user.role in roles.UNIT_ROLES):
        raise PermissionDenied("待复核清单只对维护单位和政务服务局开放。")
    articles = selectors.due_for_review(user)
    return render(
        request,
        "knowledge/review_due.html",
        {"page": _page(request, articles), "count": articles.count(), "can_edit": services.can_edit(user)},
    )


@login_required
def pending(request):
    _editor(request.user)
    versions = selectors.pending_versions(request.user)
    return render(
        request,
        "knowledge/pending.html",
        {
            "page": _page(request, versions),
            "count": versions.count(),
            "form": DecisionForm(),
            "is_bureau": services.is_bureau(request.user),
        },
    )


@login_required
@require_POST
def decide(request, pk: int):
    if not services.is_bureau(request.user):
        raise PermissionDenied("只有政务服务局管理员可以审核知识库修改。")
    version = get_object_or_404(ArticleVersion, pk=pk)
    form = DecisionForm(request.POST)
    if not form.is_valid():
        messages.error(request, "请选择审核结果。")
        return redirect("knowledge_console:pending")
    try:
        services.decide(version, request.user, approve=form.cleaned_data["approve"], note=form.cleaned_data["note"])
    except ValidationError as exc:
        messages.error(request, "；".join(m for ms in exc.message_dict.values() for m in ms))
    else:
        messages.success(request, f"已审核：《{version.title}》第{version.number}版。")
    return redirect("knowledge_console:pending")
