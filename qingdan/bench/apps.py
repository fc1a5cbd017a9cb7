from django.apps import AppConfig


class BenchConfig(AppConfig):
    name = "qingdan.bench"
    verbose_name = "Benchmarks"
