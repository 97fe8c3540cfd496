app_name = "finder"
urlpatterns: list = []
