# The municipality's self-assessment beside each pre-visit answer: a score and a comment.

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('workspace', '0001_initial'),
    ]

    operations = [
        migrations.AddField(
            model_name='previsitanswer',
            name='self_score',
            field=models.DecimalField(blank=True, decimal_places=2, max_digits=6, null=True, verbose_name='självskattning'),
        ),
        migrations.AddField(
            model_name='previsitanswer',
            name='self_comment',
            field=models.TextField(blank=True, verbose_name='kommentar till självskattningen'),
        ),
        migrations.AddConstraint(
            model_name='previsitanswer',
            constraint=models.CheckConstraint(condition=models.Q(('self_score__gte', 0), ('self_score__isnull', True), _connector='OR'), name='self_score_not_negative'),
        ),
    ]
