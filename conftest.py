import pytest


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
