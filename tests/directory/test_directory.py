"""Directory: places from jionlp's division table, the default units, users (R5.1, R12, R17)."""

import pytest

from jiesu.directory.models import Place, Unit
from jiesu.directory.services import load_directory
from jiesu.engine import places
from jiesu.engine.units import ENGINE_TYPE, UNIT_KINDS


def test_beijing_divisions_parsed_from_jionlp_R12():
    records = places.beijing_divisions()
    districts = [d for d in records if d.level == places.DISTRICT]
    assert len(districts) == 16
    assert {d.name for d in districts} >= {"朝阳区", "海淀区", "东城区", "延庆区", "门头沟区"}
    chaoyang = next(d for d in districts if d.name == "朝阳区")
    assert chaoyang.code == "110105" and "朝阳" in chaoyang.aliases
    townships = [d for d in records if d.level == places.SUBDISTRICT]
    assert 300 <= len(townships) <= 400
    wangjing = next(d for d in townships if d.name == "望京街道")
    assert wangjing.district_code == "110105" and "望京" in wangjing.aliases and "望京地区" in wangjing.aliases
    assert sum(d.level == places.COMMUNITY for d in records) > 6000


def test_township_aliases_do_not_cross_kinds():
    assert places.township_aliases("高丽营镇") == ("高丽营", "高丽营乡")
    assert places.township_aliases("望京街道") == ("望京", "望京地区")
    # A one-character stem is not a name anyone can be located by.
    assert places.township_aliases("乡") == ()


@pytest.mark.django_db
def test_directory_loaded_with_every_unit_kind_R5_1():
    assert Place.objects.filter(level="district").count() == 16
    kinds = set(Unit.objects.values_list("kind", flat=True))
    assert kinds == {k for k, _ in UNIT_KINDS}
    assert set(ENGINE_TYPE) == kinds
    for sector in (
        "urban_management",
        "housing",
        "transport",
        "ecology",
        "market_regulation",
        "hr_social_security",
        "health",
        "education",
        "public_security",
        "civil_affairs",
        "water_affairs",
        "landscaping",
        "planning",
        "culture_tourism",
        "medical_insurance",
        "tax",
        "agriculture",
        "commerce",
        "fire",
    ):
        assert Unit.objects.filter(kind="city_department", sector=sector).exists(), sector
    assert Unit.objects.filter(kind="city_department").count() >= 40
    for sector in ("water_supply", "power", "gas", "heating", "telecom"):
        assert Unit.objects.get(kind="enterprise", sector=sector).always_on
    assert Unit.objects.filter(kind="emergency_line").count() == 4
    assert Unit.objects.filter(kind="neighbour_hotline").count() == 2


@pytest.mark.django_db
def test_every_township_has_an_office_under_its_district_government_R12_1():
    offices = Unit.objects.filter(kind="subdistrict_office").select_related("territory", "parent", "district")
    assert offices.count() == Place.objects.filter(level="subdistrict").count()
    for office in offices[:50]:
        assert office.parent.kind == "district_gov"
        assert office.parent.district_id == office.district_id == office.territory.district_id


@pytest.mark.django_db
def test_load_directory_is_idempotent_and_keeps_admin_edits():
    unit = Unit.objects.get(code="ent-heating")
    unit.contact_phone = "96069"
    unit.save()
    assert load_directory() == {"places": 0, "units": 0}
    unit.refresh_from_db()
    assert unit.contact_phone == "96069"


@pytest.mark.django_db
def test_createuser_command_checks_role_and_unit_R5_1():
    from io import StringIO

    from django.core.management import CommandError, call_command

    from jiesu.directory.models import User

    out = StringIO()
    call_command("createuser", "wj-handler", role="unit_handler", unit="cc-1101010010001", stdout=out)
    user = User.objects.get(username="wj-handler")
    assert user.role == "unit_handler" and user.unit.code == "cc-1101010010001" and "password:" in out.getvalue()
    with pytest.raises(CommandError, match="no unit"):
        call_command("createuser", "x1", role="dispatcher", unit="nope")
    with pytest.raises(CommandError, match="hotline centre"):
        call_command("createuser", "x2", role="dispatcher", unit="city-housing")
    with pytest.raises(CommandError, match="already exists"):
        call_command("createuser", "wj-handler", role="unit_handler", unit="city-housing")
    assert not User.objects.filter(username__in=["x1", "x2"]).exists()


@pytest.mark.django_db
def test_createuser_bureau_admin_can_edit_the_rule_tables_R5_1(client):
    """A bureau administrator made by the command reaches every rule table in the admin;
    any other role does not get into the admin at all."""
    from io import StringIO

    from django.core.management import call_command

    from jiesu.directory.models import User

    call_command(
        "createuser", "boss", role="bureau_admin", unit="centre", password="Adm1n-pass-2026", stdout=StringIO()
    )
    call_command("createuser", "taker", role="call_taker", unit="centre", password="Adm1n-pass-2026", stdout=StringIO())
    client.force_login(User.objects.get(username="boss"))
    for path in ("/admin/catalog/matter/", "/admin/learning/classifiermodel/", "/admin/directory/unit/"):
        assert client.get(path).status_code == 200, path
    client.force_login(User.objects.get(username="taker"))
    assert client.get("/admin/catalog/matter/").status_code == 302  # to the admin login


@pytest.mark.django_db
def test_migration_gives_area_offices_their_township_names_and_keeps_every_alias():
    """A directory loaded before round 58: 沙河地区 answers to 沙河镇 and 沙河乡 after the data
    migration, keeps an alias an administrator added, and the engines are told to rebuild."""
    import importlib

    from django.apps import apps

    from jiesu.catalog.models import RulesRevision

    migration = importlib.import_module("jiesu.directory.migrations.0004_area_office_township_aliases")
    old = Place.objects.create(
        code="t-1", name="沙河地区", level=places.SUBDISTRICT, aliases=["沙河", "沙河街道", "沙河老镇"]
    )
    street = Place.objects.create(code="t-2", name="望京街道", level=places.SUBDISTRICT, aliases=["望京"])
    before = RulesRevision.objects.filter(pk=1).values_list("revision", flat=True).first() or 0
    migration.add_aliases(apps, None)
    old.refresh_from_db()
    street.refresh_from_db()
    assert old.aliases == ["沙河", "沙河街道", "沙河老镇", "沙河乡", "沙河镇"]
    assert street.aliases == ["望京"]
    assert RulesRevision.objects.get(pk=1).revision == before + 1
    migration.add_aliases(apps, None)  # again: nothing missing, nothing changed
    old.refresh_from_db()
    assert old.aliases.count("沙河镇") == 1 and RulesRevision.objects.get(pk=1).revision == before + 1


@pytest.mark.django_db
def test_migration_takes_another_townships_official_name_out_of_the_aliases():
    """丰台区 has both 卢沟桥街道 and 卢沟桥地区: neither answers to the other's name after the
    data migration, the stem stays with both, and the engines are told to rebuild."""
    import importlib

    from django.apps import apps

    from jiesu.catalog.models import RulesRevision

    migration = importlib.import_module("jiesu.directory.migrations.0005_township_aliases_not_official_names")
    area = Place.objects.create(
        code="t-1", name="卢沟桥地区", level=places.SUBDISTRICT, aliases=["卢沟桥", "卢沟桥街道"]
    )
    street = Place.objects.create(
        code="t-2", name="卢沟桥街道", level=places.SUBDISTRICT, aliases=["卢沟桥", "卢沟桥地区"]
    )
    alone = Place.objects.create(code="t-3", name="望京街道", level=places.SUBDISTRICT, aliases=["望京", "望京地区"])
    before = RulesRevision.objects.filter(pk=1).values_list("revision", flat=True).first() or 0
    migration.drop_official_names(apps, None)
    for place in (area, street, alone):
        place.refresh_from_db()
    assert area.aliases == ["卢沟桥"] and street.aliases == ["卢沟桥"]
    assert alone.aliases == ["望京", "望京地区"]  # no office of that name: the swap still serves
    assert RulesRevision.objects.get(pk=1).revision == before + 1
    migration.drop_official_names(apps, None)  # again: nothing to take out, nothing changed
    assert RulesRevision.objects.get(pk=1).revision == before + 1


def test_no_township_answers_to_another_townships_official_name():
    townships = [d for d in places.beijing_divisions() if d.level == places.SUBDISTRICT]
    official = {d.name for d in townships}
    assert not [(d.name, a) for d in townships for a in d.aliases if a in official and a != d.name]
    lugouqiao = {d.name: d.aliases for d in townships if d.name.startswith("卢沟桥")}
    assert set(lugouqiao) == {"卢沟桥街道", "卢沟桥地区"} and all("卢沟桥" in a for a in lugouqiao.values())
