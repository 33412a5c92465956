import pytest


@pytest.fixture(autouse=True, scope="session")
def isolated_media(tmp_path_factory):
    """Uploaded files of the whole run go to a temporary folder, never into the checkout's media folders.
    Session-wide, because class-level test data (setUpTestData) writes files before any test starts."""
    from django.conf import settings
    from django.test import override_settings

    folder = tmp_path_factory.mktemp("uploads")
    private = settings.STORAGES["private"]
    private_options = {**private.get("OPTIONS", {}), "location": str(folder / "private")}
    override = override_settings(
        MEDIA_ROOT=str(folder / "media"),
        STORAGES={**settings.STORAGES, "private": {**private, "OPTIONS": private_options}},
    )
    override.enable()
    yield folder
    override.disable()


@pytest.fixture
def site(db):
    """The default-language home page with the catalogue under it."""
    from wagtail.models import Collection, Page

    from cms.site_structure import ensure_site_structure

    if Page.get_first_root_node() is None or Collection.get_first_root_node() is None:
        # A live-server test on this worker flushed the database, migration rows included.
        from tests.e2e.seed import restore_migration_rows

        restore_migration_rows()
    return ensure_site_structure()


@pytest.fixture
def catalogue(site):
    from tests.factories import catalogue_page

    return catalogue_page()


@pytest.fixture
def institution(catalogue):
    from tests.factories import create_institution

    return create_institution("示范社区学院")


@pytest.fixture
def other_institution(catalogue):
    from tests.factories import create_institution

    return create_institution("另一所大学", institution_type="university")


@pytest.fixture
def superuser(db):
    from tests.factories import UserFactory

    return UserFactory(username="root", is_staff=True, is_superuser=True)
