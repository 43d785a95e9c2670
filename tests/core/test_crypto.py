"""Personal data encrypted at rest, blind index, masking (R8.3)."""

import pytest
from cryptography.fernet import Fernet
from django.db import connection

from jiesu.core import crypto


def test_mask_functions_R8_3():
    assert crypto.mask_phone("13812345678") == "138****5678"
    assert crypto.mask_phone("+86 138-1234-5678") == "138****5678"
    assert crypto.mask_name("张三") == "张*"
    assert crypto.mask_name("欧阳娜娜") == "欧***"
    assert crypto.mask_id_number("110105199001011234") == "1101**********1234"


def test_blind_index_is_stable_and_format_independent_R8_3():
    assert crypto.blind_index("138 1234 5678") == crypto.blind_index("+8613812345678")
    assert crypto.blind_index("13812345678") != crypto.blind_index("13812345679")
    assert "13812345678" not in crypto.blind_index("13812345678")


@pytest.mark.django_db
def test_personal_data_is_ciphertext_in_the_database_R8_3(make_order):
    order = make_order(requester_name="李四", requester_phone="13900001111", requester_id_number="110105199001011234")
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT requester_name_enc, requester_phone_enc, requester_id_number_enc "
            "FROM orders_workorder WHERE id = %s",
            [order.pk],
        )
        row = cursor.fetchone()
    assert all(row) and not any(secret in "".join(row) for secret in ("李四", "13900001111", "110105199001011234"))
    assert order.requester_name == "李四" and order.requester_phone == "13900001111"


@pytest.mark.django_db
def test_key_rotation_keeps_old_data_readable_R8_3(settings, make_order):
    old_key = Fernet.generate_key().decode()
    settings.JIESU_FIELD_KEYS = [old_key]
    crypto.reset_key_cache()
    try:
        order = make_order(requester_name="王五")
        settings.JIESU_FIELD_KEYS = [Fernet.generate_key().decode(), old_key]
        crypto.reset_key_cache()
        rotated = crypto.rotate(order.requester_name_enc)
        assert rotated != order.requester_name_enc
        settings.JIESU_FIELD_KEYS = settings.JIESU_FIELD_KEYS[:1]
        crypto.reset_key_cache()
        assert crypto.decrypt(rotated) == "王五"
        with pytest.raises(ValueError):
            crypto.decrypt(order.requester_name_enc)
    finally:
        settings.JIESU_FIELD_KEYS = []
        crypto.reset_key_cache()


@pytest.mark.django_db
def test_rotate_keys_command_re_encrypts_every_order_R8_3(settings, make_order):
    from django.core.management import call_command

    old_key = Fernet.generate_key().decode()
    settings.JIESU_FIELD_KEYS = [old_key]
    crypto.reset_key_cache()
    try:
        order = make_order(requester_name="吴十", requester_phone="13511112222")
        settings.JIESU_FIELD_KEYS = [Fernet.generate_key().decode(), old_key]
        crypto.reset_key_cache()
        call_command("rotate_keys", stdout=open("/dev/null", "w"))
        settings.JIESU_FIELD_KEYS = settings.JIESU_FIELD_KEYS[:1]  # the old key is gone
        crypto.reset_key_cache()
        order.refresh_from_db()
        assert order.requester_name == "吴十" and order.requester_phone == "13511112222"
    finally:
        settings.JIESU_FIELD_KEYS = []
        crypto.reset_key_cache()


@pytest.mark.django_db
def test_rotate_keys_finds_every_encrypted_column():
    from jiesu.orders.management.commands.rotate_keys import encrypted_columns

    labels = {model._meta.label: fields for model, fields in encrypted_columns()}
    assert labels["orders.WorkOrder"] == [
        "requester_name_enc",
        "requester_phone_enc",
        "requester_id_number_enc",
        "text_key_enc",
    ]
    assert "linkage.NeighbourHotline" in labels and "open311.Submission" in labels


def test_a_key_file_being_written_by_another_worker_is_waited_for(tmp_path):
    """Two workers' first phone at once: one wins O_EXCL and writes, the other must read the key
    it writes, not an empty file (that was a 500 for the first concurrent callers)."""
    import threading

    from jiesu.core.crypto import _key_file

    path = tmp_path / "blind_index_key"
    path.touch()  # created by the winner, not written yet
    threading.Timer(0.2, lambda: path.write_text("the-winners-key\n")).start()
    assert _key_file(path, lambda: "a-second-key") == ["the-winners-key"]


def test_an_empty_key_file_that_stays_empty_is_refused_by_name(tmp_path):
    from django.core.exceptions import ImproperlyConfigured

    from jiesu.core.crypto import _key_file

    path = tmp_path / "field_keys"
    path.touch()
    with pytest.raises(ImproperlyConfigured, match="field_keys is empty"):
        _key_file(path, lambda: "never-used")
