from django.contrib import admin

from kompass.municipalities.models import County, Municipality


@admin.register(County)
class CountyAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "country"]
    list_filter = ["country"]


@admin.register(Municipality)
class MunicipalityAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "country", "county"]
    list_filter = ["country", "county"]
    search_fields = ["name", "code"]
